import Torch

// MARK: - Input checks shared by the reconstructions

/// Checks multi-coil k-space `[batch, coils, H, W]`: complex, rank 4, finite.
func validateKSpace(_ kspace: Tensor, name: String = "kspace") throws {
    guard kspace.rank == 4 else {
        throw MRIError(name, "expected [batch, coils, H, W], got shape \(kspace.shape)")
    }
    guard kspace.dtype.isComplex else {
        throw MRIError(name, "expected a complex tensor, got \(kspace.dtype)")
    }
    guard !kspace.isfinite().all().item(Bool.self) else { return }
    throw MRIError(name, "contains NaN or infinite values")
}

/// Checks that `mask` broadcasts against `kspace` and has its width (the last dimension).
func validateMask(_ mask: Tensor, for kspace: Tensor) throws {
    let width = kspace.size(-1)
    guard mask.rank >= 1, mask.size(-1) == width else {
        throw MRIError("mask", "width \(mask.rank >= 1 ? mask.size(-1) : 0) does not match the k-space width \(width)")
    }
    guard Tensor.broadcastShapes(mask.shape, kspace.shape) == kspace.shape else {
        throw MRIError("mask", "shape \(mask.shape) does not broadcast to the k-space shape \(kspace.shape)")
    }
}

/// Checks coil sensitivities `[batch, coils, H, W]` against k-space of the same shape.
func validateSensitivities(_ sensitivities: Tensor, for kspace: Tensor) throws {
    guard sensitivities.shape == kspace.shape else {
        throw MRIError(
            "sensitivities", "shape \(sensitivities.shape) does not match the k-space shape \(kspace.shape)")
    }
    guard sensitivities.dtype.isComplex else {
        throw MRIError("sensitivities", "expected a complex tensor, got \(sensitivities.dtype)")
    }
}

/// Checks the inputs of an iterative solver on the SENSE model and builds its encoding operator.
func senseEncoding(
    _ kspace: Tensor, mask: Tensor, sensitivities: Tensor, lambda: Double, iterations: Int
) throws -> SENSEOperator {
    try validateKSpace(kspace)
    try validateMask(mask, for: kspace)
    try validateSensitivities(sensitivities, for: kspace)
    guard lambda >= 0, iterations >= 0 else {
        throw MRIError("lambda and iterations", "expected non-negative values, got \(lambda) and \(iterations)")
    }
    return SENSEOperator(mask: mask.to(device: kspace.device), sensitivities: sensitivities)
}
