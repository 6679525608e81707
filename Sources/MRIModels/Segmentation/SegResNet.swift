/// The encoder–decoder of A. Myronenko, "3D MRI brain tumor segmentation using autoencoder
/// regularization", BrainLes 2018 (LNCS 11384), the BraTS 2018 winner, as MONAI's `SegResNet` builds
/// it (same hyper-parameters, state-dict keys and parameter counts, so MONAI weights load strictly).
///
/// An initial 3×3(×3) convolution to `initFilters` channels (then dropout when `dropoutProb` is set);
/// encoder level `i` halves the size with a stride-2 convolution (from level 1 on), doubles the
/// channels to `initFilters·2^i` and applies `blocksDown[i]` ``SegResNetBlock``s (GroupNorm → ReLU →
/// conv, twice, plus the identity); each decoder level applies a 1×1 convolution halving the channels,
/// doubles the size (`upsampleMode`), adds the encoder's output of that level and applies
/// `blocksUp[i]` blocks; a final GroupNorm → ReLU → 1×1 convolution gives `outChannels` scores.
///
/// `[N, inChannels, spatial...]` → `[N, outChannels, spatial...]` (2-d or 3-d by `spatialDims`; each
/// spatial size divisible by `2^(blocksDown.count − 1)`). Keys as MONAI's: `convInit.conv.weight`,
/// `down_layers.1.0.conv.weight`, `down_layers.1.1.norm1.weight`, `up_samples.0.0.conv.weight`,
/// `up_layers.0.0.conv1.conv.weight`, `conv_final.2.conv.bias`. Activation: ReLU; normalisation:
/// `GroupNorm(numGroups)` (MONAI's defaults; other `act`/`norm` choices are not offered).
public class SegResNet: Module, UnaryLayer {
    /// 2 or 3.
    public let spatialDims: Int
    /// Channels after the initial convolution.
    public let initFilters: Int
    /// Input channels.
    public let inChannels: Int
    /// Residual blocks per encoder level.
    public let blocksDown: [Int]
    /// Residual blocks per decoder level.
    public let blocksUp: [Int]
    /// Dropout after the initial convolution, if any.
    public let dropoutProb: Double?
    /// Groups of the GroupNorm layers.
    public let numGroups: Int
    /// Whether ``forward(_:)`` ends with `convFinal`.
    public let useConvFinal: Bool
    /// How the decoder doubles the size.
    public let upsampleMode: UpsampleMode

    /// The initial convolution (`convInit.conv`).
    @Submodule public var convInit: NamedSequential
    /// The encoder levels: a stride-2 convolution (`Identity` at level 0), then residual blocks.
    public let downLayers: [Sequential]
    /// The decoder levels' residual blocks, coarsest first.
    public let upLayers: [Sequential]
    /// The decoder levels' 1×1 convolution and upsampling, coarsest first.
    public let upSamples: [Sequential]
    /// GroupNorm → ReLU → 1×1 convolution to the output channels.
    public let convFinal: Sequential
    /// The dropout after the initial convolution, if any.
    public let dropout: (any UnaryLayer)?

    /// MONAI's `SegResNet` with its defaults, initialised as PyTorch does from `generator` (or the global one).
    public init(
        spatialDims: Int = 3, initFilters: Int = 8, inChannels: Int = 1, outChannels: Int = 2,
        dropoutProb: Double? = nil, numGroups: Int = 8, useConvFinal: Bool = true, blocksDown: [Int] = [1, 2, 2, 4],
        blocksUp: [Int] = [1, 1, 1], upsampleMode: UpsampleMode = .nontrainable, generator: Generator? = nil
    ) {
        precondition(blocksUp.count < blocksDown.count, "blocksUp needs fewer levels than blocksDown")
        self.spatialDims = spatialDims
        self.initFilters = initFilters
        self.inChannels = inChannels
        self.blocksDown = blocksDown
        self.blocksUp = blocksUp
        self.dropoutProb = dropoutProb
        self.numGroups = numGroups
        self.useConvFinal = useConvFinal
        self.upsampleMode = upsampleMode
        _convInit = Submodule(
            wrappedValue: SpatialLayers.monaiConv(spatialDims, inChannels, initFilters, generator: generator),
            key: "convInit")
        downLayers = blocksDown.enumerated().map { level, count in
            let channels = initFilters << level
            let preConv: any UnaryLayer = level == 0 ? Identity()
                : SpatialLayers.monaiConv(spatialDims, channels / 2, channels, stride: 2, generator: generator)
            return Sequential([preConv] + (0..<count).map { _ in
                SegResNetBlock(spatialDims, channels, numGroups: numGroups, generator: generator)
            })
        }
        let levels = blocksUp.count
        upLayers = blocksUp.enumerated().map { index, count in
            let channels = (initFilters << (levels - index)) / 2
            return Sequential((0..<count).map { _ in
                SegResNetBlock(spatialDims, channels, numGroups: numGroups, generator: generator)
            })
        }
        upSamples = (0..<levels).map { index in
            let channels = initFilters << (levels - index)
            return Sequential(
                SpatialLayers.monaiConv(spatialDims, channels, channels / 2, kernelSize: 1, generator: generator),
                upsampleMode.layer(spatialDims, channels: channels / 2, alignCorners: false, generator: generator))
        }
        convFinal = Self.finalConv(spatialDims, initFilters, outChannels, numGroups: numGroups, generator: generator)
        dropout = dropoutProb.map { SpatialLayers.dropout(dim: spatialDims, p: $0) }
    }

    /// MONAI's `_make_final_conv`: GroupNorm → ReLU → 1×1 convolution with bias.
    static func finalConv(_ spatialDims: Int, _ channels: Int, _ outChannels: Int, numGroups: Int,
                          generator: Generator?) -> Sequential
    {
        Sequential(
            GroupNorm(numGroups, channels), ReLU(),
            SpatialLayers.monaiConv(spatialDims, channels, outChannels, kernelSize: 1, bias: true, generator: generator))
    }

    /// The encoder: the deepest features `[N, initFilters·2^(L−1), spatial/2^(L−1)...]` and every
    /// level's output, finest first.
    public func encode(_ input: Tensor) -> (features: Tensor, levels: [Tensor]) {
        var hidden = convInit(input)
        if let dropout { hidden = dropout(hidden) }
        var levels: [Tensor] = []
        for layer in downLayers {
            hidden = layer(hidden)
            levels.append(hidden)
        }
        return (hidden, levels)
    }

    /// The decoder from the deepest `features`, adding the encoder's `levels` (finest first):
    /// `[N, outChannels, spatial...]`, or the `initFilters` features when not `useConvFinal`.
    public func decode(_ features: Tensor, levels: [Tensor]) -> Tensor {
        var hidden = features
        for (index, (upSample, upLayer)) in zip(upSamples, upLayers).enumerated() {
            hidden = upLayer(upSample(hidden) + levels[levels.count - 2 - index])
        }
        return useConvFinal ? convFinal(hidden) : hidden
    }

    /// Segmentation scores `[N, outChannels, spatial...]` for `[N, inChannels, spatial...]`.
    public func forward(_ input: Tensor) -> Tensor {
        let (features, levels) = encode(input)
        return decode(features, levels: levels)
    }
}

/// MONAI's `ResBlock` of SegResNet (Myronenko 2018, Fig. 1's green block): GroupNorm → ReLU → 3×3
/// conv → GroupNorm → ReLU → 3×3 conv, plus the input; `[N, C, spatial...]` → the same shape.
/// Keys `norm1.weight`, `conv1.conv.weight`, `norm2.weight`, `conv2.conv.weight`.
public final class SegResNetBlock: Module, UnaryLayer {
    /// The first normalisation.
    public let norm1: GroupNorm
    /// The second normalisation.
    public let norm2: GroupNorm
    /// The activation (ReLU).
    public let act: ReLU
    /// The first convolution (`conv1.conv`).
    public let conv1: NamedSequential
    /// The second convolution (`conv2.conv`).
    public let conv2: NamedSequential

    /// A block on `channels` channels with a `kernelSize` (odd) convolution.
    public init(_ spatialDims: Int, _ channels: Int, numGroups: Int = 8, kernelSize: Int = 3,
                generator: Generator? = nil)
    {
        precondition(kernelSize % 2 == 1, "kernel_size should be an odd number.")
        norm1 = GroupNorm(numGroups, channels)
        norm2 = GroupNorm(numGroups, channels)
        act = ReLU()
        conv1 = SpatialLayers.monaiConv(spatialDims, channels, channels, kernelSize: kernelSize, generator: generator)
        conv2 = SpatialLayers.monaiConv(spatialDims, channels, channels, kernelSize: kernelSize, generator: generator)
    }

    /// The block applied to `input`.
    public func forward(_ input: Tensor) -> Tensor {
        conv2(act(norm2(conv1(act(norm1(input)))))) + input
    }
}
