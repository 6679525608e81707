/// The classic reconstructions that networks are judged against, each giving a magnitude image
/// comparable to fastMRI's RSS target: zero-filled RSS, GRAPPA (then RSS), CG-SENSE and
/// L1-wavelet compressed sensing (both with ESPIRiT maps from the ACS lines).
public enum ClassicReconstruction: String, CaseIterable, Sendable {
    case zeroFilled = "zero-filled"
    case grappa = "GRAPPA"
    case sense = "SENSE"
    case compressedSensing = "CS"

    /// The magnitude image `[batch, H, W]` of undersampled multi-coil `kspace` `[batch, coils, H, W]`
    /// (zeros where not sampled) under `mask` (last dimension `W`).
    ///
    /// Parameters follow the MRI benchmarks: GRAPPA 5×5 kernels with λ 0.01; ESPIRiT 6×6 kernels
    /// on the 24 centre ACS rows; CG-SENSE 10 iterations with λ 0.01; CS 100 FISTA iterations with
    /// λ = 0.002 · max |zero-filled sensitivity-combined image|.
    /// - Throws: `MRIError` for bad shapes, masks without ACS lines or non-finite k-space.
    public func reconstruct(_ kspace: Tensor, mask: Tensor) throws -> Tensor {
        switch self {
        case .zeroFilled:
            return try ZeroFilled.rss(kspace, mask: mask)
        case .grappa:
            return try ZeroFilled.rss(GRAPPA.reconstruct(kspace, mask: mask, kernelSize: [5, 5], lambda: 0.01))
        case .sense:
            let maps = try SensitivityEstimation.espirit(kspace, mask: mask, calibrationHeight: 24)
            return try CGSENSE.reconstruct(kspace, mask: mask, sensitivities: maps, lambda: 0.01, iterations: 10).image.abs()
        case .compressedSensing:
            let maps = try SensitivityEstimation.espirit(kspace, mask: mask, calibrationHeight: 24)
            let scale = try ZeroFilled.sensitivityCombined(kspace, sensitivities: maps, mask: mask).abs().max()
                .item(Float.self)
            return try CompressedSensing.reconstruct(
                kspace, mask: mask, sensitivities: maps, lambda: 0.002 * Double(scale), iterations: 100).abs()
        }
    }
}
