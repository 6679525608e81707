import Torch

/// Zero-filled reconstruction: the inverse centred FFT of k-space with the missing samples left at
/// zero, combined over coils.
public enum ZeroFilled {
    /// Root-sum-of-squares of the zero-filled coil images (fastMRI's `rss(complex_abs(ifft2c(k)))`).
    ///
    /// - Parameters:
    ///   - kspace: `[batch, coils, H, W]` complex, zeros where not sampled.
    ///   - mask: optional sampling mask broadcastable to `kspace` (last dimension `W`); applied first.
    /// - Returns: `[batch, H, W]` real.
    /// - Throws: if `kspace` is not finite rank-4 complex k-space or `mask` does not fit it.
    public static func rss(_ kspace: Tensor, mask: Tensor? = nil) throws -> Tensor {
        CoilCombination.rootSumOfSquares(CenteredFFT.inverse(try masked(kspace, mask)), dim: 1)
    }

    /// The zero-filled coil images combined with coil sensitivities: `Σ_c conj(S_c) · ifft2c(k_c)`.
    ///
    /// - Parameters:
    ///   - kspace: `[batch, coils, H, W]` complex.
    ///   - sensitivities: `[batch, coils, H, W]` complex coil maps.
    ///   - mask: optional sampling mask broadcastable to `kspace`; applied first.
    /// - Returns: `[batch, H, W]` complex.
    public static func sensitivityCombined(_ kspace: Tensor, sensitivities: Tensor, mask: Tensor? = nil) throws -> Tensor {
        let data = try masked(kspace, mask)
        try validateSensitivities(sensitivities, for: data)
        return CoilCombination.reduce(CenteredFFT.inverse(data), sensitivities: sensitivities).squeeze(dim: 1)
    }

    private static func masked(_ kspace: Tensor, _ mask: Tensor?) throws -> Tensor {
        try validateKSpace(kspace)
        guard let mask else { return kspace }
        try validateMask(mask, for: kspace)
        return kspace * mask.to(device: kspace.device)
    }
}
