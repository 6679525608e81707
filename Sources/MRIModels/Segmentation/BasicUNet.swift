/// MONAI's `BasicUNet`, a plain 2-d/3-d U-Net (T. Falk et al., "U-Net: deep learning for cell
/// counting, detection, and morphometry", Nature Methods 16, 2019; O. Ronneberger et al., MICCAI 2015),
/// with the same options, state-dict keys and parameter counts, so MONAI weights load strictly.
///
/// Five encoder levels of two (3×3(×3) conv → norm → dropout → activation) with `features[0...4]`
/// channels, 2×2 max pooling down; four decoder levels each upsampling ×2 (halving the channels,
/// except the last), concatenating the encoder's output and applying two conv blocks; the last gives
/// `features[5]` channels and a 1×1 convolution gives `outChannels` scores.
///
/// `[N, inChannels, spatial...]` → `[N, outChannels, spatial...]` (sizes divisible by 16 recommended;
/// odd sizes are padded by replication as in MONAI). Keys as MONAI's: `conv_0.conv_0.conv.weight`,
/// `down_1.convs.conv_1.adn.N.weight`, `upcat_4.upsample.deconv.weight`, `final_conv.weight`.
public final class BasicUNet: Module, UnaryLayer {
    /// The normalisation in every conv block (MONAI's `norm`).
    public enum Normalization: Sendable {
        /// `InstanceNorm` with affine parameters (MONAI's default, `("instance", {"affine": True})`).
        case instance
        /// `BatchNorm`.
        case batch
    }

    /// The first level's two conv blocks (`conv_0`).
    @Submodule public var conv0: BasicUNetTwoConv
    /// The encoder levels after the first (`down_1` ...): max pooling, then two conv blocks.
    @Submodule public var down1: BasicUNetDown
    @Submodule public var down2: BasicUNetDown
    @Submodule public var down3: BasicUNetDown
    @Submodule public var down4: BasicUNetDown
    /// The decoder levels, coarsest first (`upcat_4` ...).
    @Submodule public var upcat4: BasicUNetUpCat
    @Submodule public var upcat3: BasicUNetUpCat
    @Submodule public var upcat2: BasicUNetUpCat
    @Submodule public var upcat1: BasicUNetUpCat
    /// The 1×1 output convolution.
    public let finalConv: any UnaryLayer

    /// MONAI's `BasicUNet` with its defaults (LeakyReLU with slope 0.1 as the activation).
    public init(
        spatialDims: Int = 3, inChannels: Int = 1, outChannels: Int = 2, features: [Int] = [32, 32, 64, 128, 256, 32],
        norm: Normalization = .instance, bias: Bool = true, dropout: Double = 0, upsample: UpsampleMode = .deconv,
        generator: Generator? = nil
    ) {
        precondition(features.count == 6, "features needs six values, got \(features)")
        let block = BasicUNetBlockContext(spatialDims: spatialDims, norm: norm, bias: bias, dropout: dropout,
                                          generator: generator)
        let fea = features
        _conv0 = Submodule(wrappedValue: BasicUNetTwoConv(block, inChannels, fea[0]), key: "conv_0")
        _down1 = Submodule(wrappedValue: BasicUNetDown(block, fea[0], fea[1]), key: "down_1")
        _down2 = Submodule(wrappedValue: BasicUNetDown(block, fea[1], fea[2]), key: "down_2")
        _down3 = Submodule(wrappedValue: BasicUNetDown(block, fea[2], fea[3]), key: "down_3")
        _down4 = Submodule(wrappedValue: BasicUNetDown(block, fea[3], fea[4]), key: "down_4")
        _upcat4 = Submodule(
            wrappedValue: BasicUNetUpCat(block, fea[4], fea[3], fea[3], upsample: upsample, halves: true), key: "upcat_4")
        _upcat3 = Submodule(
            wrappedValue: BasicUNetUpCat(block, fea[3], fea[2], fea[2], upsample: upsample, halves: true), key: "upcat_3")
        _upcat2 = Submodule(
            wrappedValue: BasicUNetUpCat(block, fea[2], fea[1], fea[1], upsample: upsample, halves: true), key: "upcat_2")
        _upcat1 = Submodule(
            wrappedValue: BasicUNetUpCat(block, fea[1], fea[0], fea[5], upsample: upsample, halves: false), key: "upcat_1")
        finalConv = SpatialLayers.conv(spatialDims, fea[5], outChannels, kernelSize: 1, generator: generator)
    }

    /// Scores `[N, outChannels, spatial...]` for `[N, inChannels, spatial...]`.
    public func forward(_ input: Tensor) -> Tensor {
        let x0 = conv0(input)
        let x1 = down1(x0)
        let x2 = down2(x1)
        let x3 = down3(x2)
        let x4 = down4(x3)
        let u4 = upcat4(x4, encoder: x3)
        let u3 = upcat3(u4, encoder: x2)
        let u2 = upcat2(u3, encoder: x1)
        let u1 = upcat1(u2, encoder: x0)
        return finalConv(u1)
    }
}

/// What every BasicUNet conv block is built with.
struct BasicUNetBlockContext {
    let spatialDims: Int
    let norm: BasicUNet.Normalization
    let bias: Bool
    let dropout: Double
    let generator: Generator?

    /// MONAI's `Convolution(padding=1)` with its `ADN` (norm `N`, dropout `D`, activation `A`).
    func convolution(_ inChannels: Int, _ outChannels: Int) -> NamedSequential {
        let normLayer = switch norm {
        case .instance: SpatialLayers.instanceNorm(spatialDims, outChannels, affine: true)
        case .batch: SpatialLayers.batchNorm(spatialDims, outChannels)
        }
        return NamedSequential([
            ("conv", SpatialLayers.conv(spatialDims, inChannels, outChannels, kernelSize: 3, padding: 1, bias: bias,
                                        generator: generator)),
            ("adn", NamedSequential([
                ("N", normLayer), ("D", SpatialLayers.dropout(dim: 1, p: dropout)),
                ("A", LeakyReLU(negativeSlope: 0.1)),
            ])),
        ])
    }
}

/// MONAI's `TwoConv`: two conv blocks (`conv_0`, `conv_1`), `[N, in, spatial...]` → `[N, out, spatial...]`.
public final class BasicUNetTwoConv: Module, UnaryLayer {
    /// The first conv block (`conv_0`).
    @Submodule public var conv0: NamedSequential
    /// The second conv block (`conv_1`).
    @Submodule public var conv1: NamedSequential

    init(_ context: BasicUNetBlockContext, _ inChannels: Int, _ outChannels: Int) {
        _conv0 = Submodule(wrappedValue: context.convolution(inChannels, outChannels), key: "conv_0")
        _conv1 = Submodule(wrappedValue: context.convolution(outChannels, outChannels), key: "conv_1")
    }

    /// The blocks applied to `input`.
    public func forward(_ input: Tensor) -> Tensor { conv1(conv0(input)) }
}

/// MONAI's `Down`: 2×2 max pooling, then a ``BasicUNetTwoConv``.
public final class BasicUNetDown: Module, UnaryLayer {
    /// The pooling.
    public let maxPooling: any UnaryLayer
    /// The conv blocks.
    public let convs: BasicUNetTwoConv

    init(_ context: BasicUNetBlockContext, _ inChannels: Int, _ outChannels: Int) {
        maxPooling = SpatialLayers.maxPool(context.spatialDims)
        convs = BasicUNetTwoConv(context, inChannels, outChannels)
    }

    /// `[N, out, spatial/2...]` from `[N, in, spatial...]`.
    public func forward(_ input: Tensor) -> Tensor { convs(maxPooling(input)) }
}

/// MONAI's `UpCat`: ×2 upsampling (to half the channels when `halves`), padded by replication to the
/// encoder's size, concatenated after the encoder's features, then a ``BasicUNetTwoConv``.
public final class BasicUNetUpCat: Module {
    /// The upsampling (`upsample.deconv`, or a 1×1 `preconv` then interpolation in the non-trainable mode).
    public let upsample: NamedSequential
    /// The conv blocks.
    public let convs: BasicUNetTwoConv

    init(_ context: BasicUNetBlockContext, _ inChannels: Int, _ catChannels: Int, _ outChannels: Int,
         upsample mode: UpsampleMode, halves: Bool)
    {
        let upChannels = halves ? inChannels / 2 : inChannels
        let dims = context.spatialDims
        switch mode {
        case .deconv:
            upsample = NamedSequential([("deconv", SpatialLayers.convTranspose(
                dims, inChannels, upChannels, kernelSize: 2, stride: 2, generator: context.generator))])
        case .nontrainable:
            // MONAI adds its default 1×1 `preconv` only when the channels change.
            let interpolation = ("upsample_non_trainable", SpatialLayers.linearUpsample(dims, alignCorners: true))
            upsample = NamedSequential(upChannels == inChannels ? [interpolation] : [
                ("preconv", SpatialLayers.conv(dims, inChannels, upChannels, kernelSize: 1,
                                               generator: context.generator)),
                interpolation,
            ])
        }
        convs = BasicUNetTwoConv(context, catChannels + upChannels, outChannels)
    }

    /// `[N, out, spatial...]` from `x` `[N, in, spatial/2...]` and the encoder's features `[N, cat, spatial...]`.
    public func callAsFunction(_ x: Tensor, encoder: Tensor) -> Tensor {
        var up = upsample(x)
        // MONAI pads the far side of each dimension by one where the encoder's size is odd.
        let padding = (0..<(x.rank - 2)).flatMap { index -> [Int] in
            [0, encoder.shape[encoder.rank - 1 - index] != up.shape[up.rank - 1 - index] ? 1 : 0]
        }
        if padding.contains(1) { up = up.pad(padding, mode: .replicate) }
        return convs(Tensor.cat([encoder, up], dim: 1))
    }
}
