import Torch

/// Seed 001's dynamic (cine) reconstruction network: the frames stacked as channels, the real
/// and the imaginary parts each through their own U-Net with batch normalisation (the two share
/// no parameters), then a ResNet refinement of both, and optionally data consistency.
///
/// ShanghaiTech BME1312 (spring 2024) project 1, after O. Ronneberger et al., "U-Net",
/// MICCAI 2015 and K. He et al., "Deep Residual Learning for Image Recognition", CVPR 2016; the
/// data consistency is J. Schlemper et al.'s (IEEE TMI 2018) (see ``DataConsistency``). The seed
/// names the U-Nets' width `init_features`; the layout of the U-Net (``BatchNormUNet``) and of the
/// refinement (``ResNetRefinement``) are MRIKit's reading of its description.
///
/// Keys: `real_unet.…`, `imag_unet.…`, `resnet.…`.
public final class CineUNetResNet: Module {
    let realUnet: BatchNormUNet
    let imagUnet: BatchNormUNet
    let resnet: ResNetRefinement

    /// A network for `frames` frames (seed 001: 20 frames, `initFeatures` 64).
    ///
    /// - Parameters:
    ///   - frames: the number of frames, the U-Nets' input and output channels.
    ///   - initFeatures: channels of the U-Nets' first level.
    ///   - numPoolLayers: the U-Nets' down-sampling levels.
    ///   - nFeats: channels inside the ResNet refinement.
    ///   - nResblocks: residual blocks of the refinement.
    public init(frames: Int = 20, initFeatures: Int = 64, numPoolLayers: Int = 4, nFeats: Int = 64, nResblocks: Int = 4) {
        realUnet = BatchNormUNet(inChannels: frames, outChannels: frames, initFeatures: initFeatures,
                                 numPoolLayers: numPoolLayers)
        imagUnet = BatchNormUNet(inChannels: frames, outChannels: frames, initFeatures: initFeatures,
                                 numPoolLayers: numPoolLayers)
        resnet = ResNetRefinement(channels: 2 * frames, nFeats: nFeats, nResblocks: nResblocks)
    }

    /// The reconstructed frames.
    ///
    /// - Parameters:
    ///   - image: complex `[N, frames, H, W]`, the zero-filled frames; `H` and `W` divisible by
    ///     `2^numPoolLayers`.
    ///   - kspace: complex `[N, frames, H, W]`, the measured centred k-space, for data consistency.
    ///   - mask: real, broadcastable to `kspace` (e.g. `[N, frames, 1, W]`), 1 where sampled;
    ///     data consistency is applied when `kspace` and `mask` are given.
    /// - Returns: complex `[N, frames, H, W]`.
    public func callAsFunction(_ image: Tensor, kspace: Tensor? = nil, mask: Tensor? = nil) -> Tensor {
        let parts = Tensor.cat([realUnet(image.real), imagUnet(image.imag)], dim: 1)
        let output = ComplexChannels.merge(resnet(parts))
        guard let kspace, let mask else { return output }
        return DataConsistency.apply(output, kspace: kspace, mask: mask)
    }
}

/// A U-Net with batch normalisation (the layout of M. Buda's brain-segmentation U-Net, which
/// seed 001's `init_features` comes from), without an output activation.
///
/// `[N, inChannels, H, W]` → `[N, outChannels, H, W]`, `H` and `W` divisible by `2^numPoolLayers`:
/// per level two 3×3 convolutions without bias, each with batch norm and ReLU, then 2×2 max
/// pooling; a bottleneck block; per level a 2×2 stride-2 transposed convolution, concatenation
/// with the skip connection and a block; a 1×1 output convolution.
/// Keys: `encoders.{i}.{0,1,3,4}.…`, `bottleneck.…`, `upconvs.{i}.…`, `decoders.{i}.…`, `conv.…`.
public final class BatchNormUNet: Module, UnaryLayer {
    let encoders: [Sequential]
    let bottleneck: Sequential
    let upconvs: [ConvTranspose2d]
    let decoders: [Sequential]
    let conv: Conv2d

    /// A U-Net of `numPoolLayers` levels whose first level has `initFeatures` channels.
    public init(inChannels: Int, outChannels: Int, initFeatures: Int = 64, numPoolLayers: Int = 4) {
        let features = (0...numPoolLayers).map { initFeatures << $0 }
        encoders = [Self.block(inChannels, features[0])]
            + (1..<numPoolLayers).map { Self.block(features[$0 - 1], features[$0]) }
        bottleneck = Self.block(features[numPoolLayers - 1], features[numPoolLayers])
        upconvs = (0..<numPoolLayers).reversed().map {
            ConvTranspose2d(features[$0 + 1], features[$0], kernelSize: [2], stride: [2])
        }
        decoders = (0..<numPoolLayers).reversed().map { Self.block(features[$0 + 1], features[$0]) }
        conv = Conv2d(initFeatures, outChannels, kernelSize: [1])
    }

    /// The U-Net of `image` `[N, inChannels, H, W]`: `[N, outChannels, H, W]`.
    public func forward(_ image: Tensor) -> Tensor {
        var skips: [Tensor] = []
        var output = image
        for encoder in encoders {
            output = encoder(output)
            skips.append(output)
            output = Functional.maxPool2d(output, kernelSize: [2])
        }
        output = bottleneck(output)
        for (upconv, decoder) in zip(upconvs, decoders) {
            output = decoder(Tensor.cat([upconv(output), skips.removeLast()], dim: 1))
        }
        return conv(output)
    }

    private static func block(_ inChannels: Int, _ outChannels: Int) -> Sequential {
        Sequential(
            Conv2d(inChannels, outChannels, kernelSize: [3], padding: [1], bias: false), BatchNorm2d(outChannels),
            ReLU(inPlace: true),
            Conv2d(outChannels, outChannels, kernelSize: [3], padding: [1], bias: false), BatchNorm2d(outChannels),
            ReLU(inPlace: true))
    }
}

/// The ResNet refinement after seed 001's U-Nets: a 3×3 convolution to `nFeats` channels and
/// ReLU, `nResblocks` residual blocks (two 3×3 convolutions with batch norm, the skip before the
/// last ReLU, as in He et al.), a 3×3 convolution back, all inside a skip connection.
/// `[N, channels, H, W]` → `[N, channels, H, W]`. Keys: `head.…`, `body.{b}.body.{0,1,3,4}.…`, `tail.…`.
public final class ResNetRefinement: Module, UnaryLayer {
    let head: Conv2d
    let body: Sequential
    let tail: Conv2d

    /// A refinement of `channels` channels.
    public init(channels: Int, nFeats: Int = 64, nResblocks: Int = 4) {
        head = Conv2d(channels, nFeats, kernelSize: [3], padding: [1])
        body = Sequential((0..<nResblocks).map { _ -> any UnaryLayer in ResidualBlock(nFeats) })
        tail = Conv2d(nFeats, channels, kernelSize: [3], padding: [1])
    }

    /// `x + tail(body(relu(head(x))))`.
    public func forward(_ input: Tensor) -> Tensor { input + tail(body(head(input).relu())) }
}

/// He et al.'s basic residual block with batch norm: `relu(x + bn(conv(relu(bn(conv(x))))))`.
/// `[N, nFeats, H, W]` → `[N, nFeats, H, W]`; keys `body.{0,1,3,4}.…`.
public final class ResidualBlock: Module, UnaryLayer {
    let body: Sequential

    /// A block of `nFeats` channels.
    public init(_ nFeats: Int) {
        body = Sequential(
            Conv2d(nFeats, nFeats, kernelSize: [3], padding: [1], bias: false), BatchNorm2d(nFeats), ReLU(inPlace: true),
            Conv2d(nFeats, nFeats, kernelSize: [3], padding: [1], bias: false), BatchNorm2d(nFeats))
    }

    /// `relu(body(x) + x)`.
    public func forward(_ input: Tensor) -> Tensor { (body(input) + input).relu() }
}
