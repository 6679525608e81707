/// V-Net of F. Milletari, N. Navab, S.-A. Ahmadi, "V-Net: Fully convolutional neural networks for
/// volumetric medical image segmentation", 3DV 2016, as MONAI's `VNet` builds it (same options,
/// state-dict keys and parameter counts, so MONAI weights load strictly).
///
/// Residual stages of 5×5×5 convolutions (each conv → BatchNorm → activation, the stage's input
/// added before the last activation), 2×2×2 stride-2 convolutions down (16 → 32 → 64 → 128 → 256
/// channels) and 2×2×2 stride-2 transposed convolutions up, the encoder's stage concatenated before
/// each decoder stage; a 5×5×5 conv and a 1×1×1 conv give `outChannels` scores.
///
/// `[N, inChannels, spatial...]` → `[N, outChannels, spatial...]` (2-d or 3-d by `spatialDims`, each
/// size divisible by 16; `16` divisible by `inChannels`). MONAI's default activation is ELU; the
/// paper's is PReLU (``paper(inChannels:outChannels:generator:)``).
public final class VNet: Module, UnaryLayer {
    /// The non-linearity of every stage (MONAI's `act`).
    public enum Activation: Sendable {
        /// `nn.ELU` (MONAI's default).
        case elu
        /// `nn.PReLU` with one weight per channel (the paper's; MONAI's `"prelu"`).
        case prelu
        /// `nn.ReLU`.
        case relu

        func layer(channels: Int) -> any UnaryLayer {
            switch self {
            case .elu: ELU()
            case .prelu: PReLU(numParameters: channels)
            case .relu: ReLU()
            }
        }
    }

    /// The input stage (16 channels).
    public let inTr: VNetInputTransition
    /// The encoder stages.
    public let downTr32, downTr64, downTr128, downTr256: VNetDownTransition
    /// The decoder stages.
    public let upTr256, upTr128, upTr64, upTr32: VNetUpTransition
    /// The output stage.
    public let outTr: VNetOutputTransition

    /// MONAI's `VNet` with its defaults: `dropoutProbDown` for the two deepest encoder stages,
    /// `dropoutProbUp` (before the upsampling, on the skip) for the two deepest decoder stages, dropout of
    /// dimension `dropoutDim`, and `bias` in the encoder's and the output's convolutions.
    public init(
        spatialDims: Int = 3, inChannels: Int = 1, outChannels: Int = 1, act: Activation = .elu,
        dropoutProbDown: Double? = 0.5, dropoutProbUp: (Double?, Double) = (0.5, 0.5), dropoutDim: Int = 3,
        bias: Bool = false, generator: Generator? = nil
    ) {
        let context = VNetStageContext(spatialDims: spatialDims, act: act, dropoutDim: dropoutDim, generator: generator)
        inTr = VNetInputTransition(context, inChannels, 16, bias: bias)
        downTr32 = VNetDownTransition(context, 16, nconvs: 1, dropoutProb: nil, bias: bias)
        downTr64 = VNetDownTransition(context, 32, nconvs: 2, dropoutProb: nil, bias: bias)
        downTr128 = VNetDownTransition(context, 64, nconvs: 3, dropoutProb: dropoutProbDown, bias: bias)
        downTr256 = VNetDownTransition(context, 128, nconvs: 2, dropoutProb: dropoutProbDown, bias: bias)
        upTr256 = VNetUpTransition(context, 256, 256, nconvs: 2, dropoutProb: dropoutProbUp)
        upTr128 = VNetUpTransition(context, 256, 128, nconvs: 2, dropoutProb: dropoutProbUp)
        upTr64 = VNetUpTransition(context, 128, 64, nconvs: 1, dropoutProb: (nil, 0.5))
        upTr32 = VNetUpTransition(context, 64, 32, nconvs: 1, dropoutProb: (nil, 0.5))
        outTr = VNetOutputTransition(context, 32, outChannels, bias: bias)
    }

    /// The paper's network: 3-d, PReLU, otherwise MONAI's defaults.
    public static func paper(inChannels: Int = 1, outChannels: Int = 2, generator: Generator? = nil) -> VNet {
        VNet(spatialDims: 3, inChannels: inChannels, outChannels: outChannels, act: .prelu, generator: generator)
    }

    /// Scores `[N, outChannels, spatial...]` for `[N, inChannels, spatial...]`.
    public func forward(_ input: Tensor) -> Tensor {
        let out16 = inTr(input)
        let out32 = downTr32(out16)
        let out64 = downTr64(out32)
        let out128 = downTr128(out64)
        let out256 = downTr256(out128)
        var hidden = upTr256(out256, skip: out128)
        hidden = upTr128(hidden, skip: out64)
        hidden = upTr64(hidden, skip: out32)
        hidden = upTr32(hidden, skip: out16)
        return outTr(hidden)
    }
}

/// What every V-Net stage is built with.
struct VNetStageContext {
    let spatialDims: Int
    let act: VNet.Activation
    let dropoutDim: Int
    let generator: Generator?

    /// MONAI's `Convolution(kernel_size=5, norm=BATCH, act=None)`: keys `conv.weight`, `adn.N.weight`, ....
    func convNorm(_ inChannels: Int, _ outChannels: Int, bias: Bool) -> NamedSequential {
        NamedSequential([
            ("conv", SpatialLayers.conv(spatialDims, inChannels, outChannels, kernelSize: 5, padding: 2, bias: bias,
                                        generator: generator)),
            ("adn", NamedSequential([("N", SpatialLayers.batchNorm(spatialDims, outChannels))])),
        ])
    }

    /// `depth` ``VNetLUConv``s on `channels` channels (MONAI's `_make_nconv`).
    func convs(_ channels: Int, depth: Int, bias: Bool) -> Sequential {
        Sequential((0..<depth).map { _ in VNetLUConv(self, channels, bias: bias) })
    }
}

/// MONAI's `LUConv`: 5×5×5 conv → BatchNorm → activation, `[N, C, spatial...]` → the same shape.
public final class VNetLUConv: Module, UnaryLayer {
    /// The activation.
    public let actFunction: any UnaryLayer
    /// The convolution and its normalisation.
    public let convBlock: NamedSequential

    init(_ context: VNetStageContext, _ channels: Int, bias: Bool) {
        actFunction = context.act.layer(channels: channels)
        convBlock = context.convNorm(channels, channels, bias: bias)
    }

    /// The layer applied to `input`.
    public func forward(_ input: Tensor) -> Tensor { actFunction(convBlock(input)) }
}

/// MONAI's `InputTransition`: a 5×5×5 conv → BatchNorm to `outChannels`, plus the input repeated
/// along the channels, then the activation.
public final class VNetInputTransition: Module, UnaryLayer {
    /// The activation.
    public let actFunction: any UnaryLayer
    /// The convolution and its normalisation.
    public let convBlock: NamedSequential
    private let repeats: Int

    init(_ context: VNetStageContext, _ inChannels: Int, _ outChannels: Int, bias: Bool) {
        precondition(outChannels % inChannels == 0,
                     "out channels should be divisible by in_channels. Got in_channels=\(inChannels), out_channels=\(outChannels).")
        repeats = outChannels / inChannels
        actFunction = context.act.layer(channels: outChannels)
        convBlock = context.convNorm(inChannels, outChannels, bias: bias)
    }

    /// `[N, outChannels, spatial...]` from `[N, inChannels, spatial...]`.
    public func forward(_ input: Tensor) -> Tensor {
        let tiled = input.tile([1, repeats] + Array(repeating: 1, count: input.rank - 2))
        return actFunction(convBlock(input) + tiled)
    }
}

/// MONAI's `DownTransition`: a 2×2×2 stride-2 conv doubling the channels → BatchNorm → activation,
/// then (after dropout, if any) `nconvs` ``VNetLUConv``s, their input added before a last activation.
public final class VNetDownTransition: Module, UnaryLayer {
    /// The strided convolution.
    public let downConv: any UnaryLayer
    /// Its normalisation.
    public let bn1: any UnaryLayer
    /// The activation after `bn1`.
    public let actFunction1: any UnaryLayer
    /// The activation after the residual sum.
    public let actFunction2: any UnaryLayer
    /// The 5×5×5 convolutions.
    public let ops: Sequential
    /// Dropout before `ops`, if any.
    public let dropout: (any UnaryLayer)?

    init(_ context: VNetStageContext, _ inChannels: Int, nconvs: Int, dropoutProb: Double?, bias: Bool) {
        let outChannels = 2 * inChannels
        downConv = SpatialLayers.conv(context.spatialDims, inChannels, outChannels, kernelSize: 2, stride: 2,
                                      bias: bias, generator: context.generator)
        bn1 = SpatialLayers.batchNorm(context.spatialDims, outChannels)
        actFunction1 = context.act.layer(channels: outChannels)
        actFunction2 = context.act.layer(channels: outChannels)
        ops = context.convs(outChannels, depth: nconvs, bias: bias)
        dropout = dropoutProb.map { SpatialLayers.dropout(dim: context.dropoutDim, p: $0) }
    }

    /// `[N, 2C, spatial/2...]` from `[N, C, spatial...]`.
    public func forward(_ input: Tensor) -> Tensor {
        let down = actFunction1(bn1(downConv(input)))
        let dropped = dropout.map { $0(down) } ?? down
        return actFunction2(ops(dropped) + down)
    }
}

/// MONAI's `UpTransition`: (dropout, if any) 2×2×2 stride-2 transposed conv to `outChannels/2` →
/// BatchNorm → activation, concatenated with the (dropped-out) skip, then `nconvs` ``VNetLUConv``s,
/// their input added before a last activation.
public final class VNetUpTransition: Module {
    /// The transposed convolution.
    public let upConv: any UnaryLayer
    /// Its normalisation.
    public let bn1: any UnaryLayer
    /// Dropout before `upConv`, if any.
    public let dropout: (any UnaryLayer)?
    /// Dropout of the skip.
    public let dropout2: any UnaryLayer
    /// The activation after `bn1`.
    public let actFunction1: any UnaryLayer
    /// The activation after the residual sum.
    public let actFunction2: any UnaryLayer
    /// The 5×5×5 convolutions.
    public let ops: Sequential

    init(_ context: VNetStageContext, _ inChannels: Int, _ outChannels: Int, nconvs: Int,
         dropoutProb: (Double?, Double))
    {
        upConv = SpatialLayers.convTranspose(context.spatialDims, inChannels, outChannels / 2, kernelSize: 2,
                                             stride: 2, generator: context.generator)
        bn1 = SpatialLayers.batchNorm(context.spatialDims, outChannels / 2)
        dropout = dropoutProb.0.map { SpatialLayers.dropout(dim: context.dropoutDim, p: $0) }
        dropout2 = SpatialLayers.dropout(dim: context.dropoutDim, p: dropoutProb.1)
        actFunction1 = context.act.layer(channels: outChannels / 2)
        actFunction2 = context.act.layer(channels: outChannels)
        ops = context.convs(outChannels, depth: nconvs, bias: false)
    }

    /// `[N, outChannels, 2·spatial...]` from `x` `[N, inChannels, spatial...]` and the encoder's
    /// `skip` `[N, outChannels/2, 2·spatial...]`.
    public func callAsFunction(_ x: Tensor, skip: Tensor) -> Tensor {
        let dropped = dropout.map { $0(x) } ?? x
        let up = actFunction1(bn1(upConv(dropped)))
        let joined = Tensor.cat([up, dropout2(skip)], dim: 1)
        return actFunction2(ops(joined) + joined)
    }
}

/// MONAI's `OutputTransition`: 5×5×5 conv → BatchNorm → activation → 1×1×1 conv (with bias).
public final class VNetOutputTransition: Module, UnaryLayer {
    /// The activation.
    public let actFunction1: any UnaryLayer
    /// The 5×5×5 convolution and its normalisation.
    public let convBlock: NamedSequential
    /// The 1×1×1 convolution.
    public let conv2: any UnaryLayer

    init(_ context: VNetStageContext, _ inChannels: Int, _ outChannels: Int, bias: Bool) {
        actFunction1 = context.act.layer(channels: outChannels)
        convBlock = context.convNorm(inChannels, outChannels, bias: bias)
        conv2 = SpatialLayers.conv(context.spatialDims, outChannels, outChannels, kernelSize: 1,
                                   generator: context.generator)
    }

    /// `[N, outChannels, spatial...]` from `[N, inChannels, spatial...]`.
    public func forward(_ input: Tensor) -> Tensor { conv2(actFunction1(convBlock(input))) }
}
