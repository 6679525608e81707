import Torch

/// Bad input to a classic reconstruction, naming the argument and what was expected.
///
/// Internal until the lead merges it into the physics helper's `MRIError`.
struct ReconstructionError: Error, CustomStringConvertible, Equatable {
    /// What was wrong, e.g. "mask: width 47 does not match the k-space width 48".
    let description: String

    init(_ description: String) { self.description = description }
}

// MARK: - Input checks shared by the reconstructions

/// Checks multi-coil k-space `[batch, coils, H, W]`: complex, rank 4, finite.
func validateKSpace(_ kspace: Tensor, name: String = "kspace") throws {
    guard kspace.rank == 4 else {
        throw ReconstructionError("\(name): expected [batch, coils, H, W], got shape \(kspace.shape)")
    }
    guard kspace.dtype.isComplex else {
        throw ReconstructionError("\(name): expected a complex tensor, got \(kspace.dtype)")
    }
    guard !kspace.isfinite().all().item(Bool.self) else { return }
    throw ReconstructionError("\(name): contains NaN or infinite values")
}

/// Checks that `mask` broadcasts against `kspace` and has its width (the last dimension).
func validateMask(_ mask: Tensor, for kspace: Tensor) throws {
    let width = kspace.size(-1)
    guard mask.rank >= 1, mask.size(-1) == width else {
        throw ReconstructionError("mask: width \(mask.rank >= 1 ? mask.size(-1) : 0) does not match the k-space width \(width)")
    }
    guard Tensor.broadcastShapes(mask.shape, kspace.shape) == kspace.shape else {
        throw ReconstructionError("mask: shape \(mask.shape) does not broadcast to the k-space shape \(kspace.shape)")
    }
}

/// Checks coil sensitivities `[batch, coils, H, W]` against k-space of the same shape.
func validateSensitivities(_ sensitivities: Tensor, for kspace: Tensor) throws {
    guard sensitivities.shape == kspace.shape else {
        throw ReconstructionError(
            "sensitivities: shape \(sensitivities.shape) does not match the k-space shape \(kspace.shape)")
    }
    guard sensitivities.dtype.isComplex else {
        throw ReconstructionError("sensitivities: expected a complex tensor, got \(sensitivities.dtype)")
    }
}

// MARK: - Coil combination (private stand-ins until the shared physics helpers are merged)

/// Root-sum-of-squares over `dim` (fastMRI's `rss` on complex data): `sqrt(Σ |x|²)`.
func rootSumOfSquares(_ x: Tensor, dim: Int = 1) -> Tensor {
    (x * x.conj()).real.sum(dim: dim).sqrt()
}

/// Sensitivity-weighted coil combination: `Σ_c conj(S_c) · x_c` over dim 1, `[B, C, H, W]` → `[B, H, W]`.
func combineCoils(_ coilImages: Tensor, sensitivities: Tensor) -> Tensor {
    (coilImages * sensitivities.conj()).sum(dim: 1)
}

/// Sensitivity expansion: `S_c · x`, `[B, H, W]` → `[B, C, H, W]`.
func expandCoils(_ image: Tensor, sensitivities: Tensor) -> Tensor {
    sensitivities * image.unsqueeze(1)
}
