import Torch

/// The deep cascade of convolutional networks with data consistency (DC-CNN, "D`nd`C`nc`") of
/// J. Schlemper et al., "A Deep Cascade of Convolutional Neural Networks for Dynamic MR Image
/// Reconstruction", IEEE TMI 2018 (arXiv:1704.02422); the 2D variant of the authors' `DnCn`, used
/// on cine data with the frames stacked as channels.
///
/// `nc` cascades, each a residual CNN of `nd` convolutions (`nf` features, LeakyReLU(0.01)) on the
/// real and imaginary parts followed by a ``DataConsistency`` layer.
/// Keys: `conv_blocks.{c}.{2i}.weight/bias` (`i` in `0..<nd`).
public final class DCCNN: Module {
    /// `nil` for noiseless data consistency, else the blend of ``DataConsistency/apply(_:kspace:mask:noiseLevel:)``.
    public var noiseLevel: Double?
    let convBlocks: [Sequential]

    /// A cascade with the authors' hyper-parameter names.
    ///
    /// - Parameters:
    ///   - nChannels: real channels, twice the complex frames (2 for single images).
    ///   - nc: the number of cascades.
    ///   - nd: convolutions per cascade (at least 2).
    ///   - nf: features of the inner convolutions.
    ///   - ks: the kernel size (odd).
    ///   - noiseLevel: see ``noiseLevel``.
    public init(nChannels: Int = 2, nc: Int = 5, nd: Int = 5, nf: Int = 64, ks: Int = 3, noiseLevel: Double? = nil) {
        precondition(nd >= 2, "DCCNN needs nd >= 2 convolutions per cascade, got \(nd)")
        self.noiseLevel = noiseLevel
        convBlocks = (0..<nc).map { _ in
            var layers: [any UnaryLayer] = [Conv2d(nChannels, nf, kernelSize: [ks], padding: [ks / 2]), LeakyReLU(inPlace: true)]
            for _ in 0..<(nd - 2) {
                layers += [Conv2d(nf, nf, kernelSize: [ks], padding: [ks / 2]), LeakyReLU(inPlace: true)]
            }
            layers.append(Conv2d(nf, nChannels, kernelSize: [ks], padding: [ks / 2]))
            return Sequential(layers)
        }
    }

    /// The reconstructed frames.
    ///
    /// - Parameters:
    ///   - image: complex `[N, nChannels / 2, H, W]`, the zero-filled frames.
    ///   - kspace: complex `[N, nChannels / 2, H, W]`, the measured centred k-space.
    ///   - mask: real, broadcastable to `kspace`, 1 where sampled.
    /// - Returns: complex `[N, nChannels / 2, H, W]`.
    public func callAsFunction(_ image: Tensor, kspace: Tensor, mask: Tensor) -> Tensor {
        convBlocks.reduce(image) { image, block in
            let channels = ComplexChannels.split(image)
            let refined = ComplexChannels.merge(channels + block(channels))
            return DataConsistency.apply(refined, kspace: kspace, mask: mask, noiseLevel: noiseLevel)
        }
    }
}
