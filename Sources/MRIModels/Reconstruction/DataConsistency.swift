import Torch

/// The data-consistency layer of Schlemper et al.'s cascaded networks: the measured k-space
/// samples replace the prediction's (or, with a noise level, are blended into them).
///
/// J. Schlemper et al., "A Deep Cascade of Convolutional Neural Networks for Dynamic MR Image
/// Reconstruction", IEEE TMI 2018 (arXiv:1704.02422), eq. 9, on centred k-space (``CenteredFFT``).
public enum DataConsistency {
    /// The image whose k-space agrees with the measurement where sampled.
    ///
    /// - Parameters:
    ///   - image: complex `[N, T, H, W]` (frames, or 1 for a single image), the prediction.
    ///   - kspace: complex `[N, T, H, W]`, the measured centred k-space, zeros where not sampled.
    ///   - mask: real, broadcastable to `kspace`, 1 where sampled and 0 elsewhere.
    ///   - noiseLevel: `nil` for noiseless data (measured samples replace predicted ones); a value
    ///     `ν` gives `(k + ν k₀) / (1 + ν)` at sampled positions (the reference code's `noise_lvl`).
    /// - Returns: complex `[N, T, H, W]`.
    public static func apply(_ image: Tensor, kspace: Tensor, mask: Tensor, noiseLevel: Double? = nil) -> Tensor {
        let predicted = CenteredFFT.forward(image)
        let sampled = noiseLevel.map { (predicted + kspace * $0) / (1 + $0) } ?? kspace
        return CenteredFFT.inverse((1 - mask) * predicted + mask * sampled)
    }
}
