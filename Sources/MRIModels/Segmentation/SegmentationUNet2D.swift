/// The 2D segmentation U-Net of the torch-for-R brain MRI segmentation tutorial (seed 004, after
/// O. Ronneberger, P. Fischer, T. Brox, "U-Net: Convolutional networks for biomedical image
/// segmentation", MICCAI 2015): `depth` levels whose level `i` (1-based) has `2^(nFilters + i − 1)`
/// filters, each a conv block (3×3 conv → ReLU → dropout → 3×3 conv → ReLU); 2×2 max pooling down,
/// 2×2 stride-2 transposed convolutions up with the skip concatenated, a 1×1 convolution and a sigmoid.
///
/// `[N, channelsIn, H, W]` → per-pixel probabilities `[N, nClasses, H, W]`; `H` and `W` divisible
/// by `2^(depth − 1)`. State-dict keys as the tutorial's modules name them (`down_path.0.conv_block.
/// conv_block.0.weight`, `up_path.0.up.weight`, `final.weight`).
public final class SegmentationUNet2D: Module, UnaryLayer {
    /// The encoder blocks, finest first.
    public let downPath: [SegmentationUNet2DDownBlock]
    /// The decoder blocks, coarsest first.
    public let upPath: [SegmentationUNet2DUpBlock]
    /// The 1×1 convolution to class scores.
    public let `final`: Conv2d

    /// The tutorial's network (its defaults: 3 input channels, 1 class, depth 5, `2^6` = 64 first-level
    /// filters, dropout 0.6), initialised as PyTorch does from `generator` (or the global one).
    public init(
        channelsIn: Int = 3, nClasses: Int = 1, depth: Int = 5, nFilters: Int = 6, dropout: Double = 0.6,
        generator: Generator? = nil
    ) {
        precondition(depth >= 2, "depth must be at least 2, got \(depth)")
        func filters(_ level: Int) -> Int { 1 << (nFilters + level - 1) }
        downPath = (1...depth).map { level in
            SegmentationUNet2DDownBlock(level == 1 ? channelsIn : filters(level - 1), filters(level),
                                        dropout: dropout, generator: generator)
        }
        upPath = (1..<depth).reversed().map { level in
            SegmentationUNet2DUpBlock(filters(level + 1), filters(level), dropout: dropout, generator: generator)
        }
        `final` = Conv2d(filters(1), nClasses, kernelSize: [1], generator: generator)
    }

    /// Class probabilities `[N, nClasses, H, W]` for images `[N, channelsIn, H, W]`.
    public func forward(_ input: Tensor) -> Tensor {
        var bridges: [Tensor] = []
        var hidden = input
        for (index, block) in downPath.enumerated() {
            hidden = block(hidden)
            if index < downPath.count - 1 {
                bridges.append(hidden)
                hidden = Functional.maxPool2d(hidden, kernelSize: [2])
            }
        }
        for (block, bridge) in zip(upPath, bridges.reversed()) {
            hidden = block(hidden, bridge: bridge)
        }
        return `final`(hidden).sigmoid()
    }
}

/// The tutorial's `conv_block`: 3×3 conv → ReLU → dropout → 3×3 conv → ReLU, `[N, in, H, W]` →
/// `[N, out, H, W]` (keys `conv_block.0.weight`, `conv_block.3.weight`).
public final class SegmentationUNet2DConvBlock: Module, UnaryLayer {
    /// The layers.
    public let convBlock: Sequential

    /// A block from `inSize` to `outSize` channels.
    public init(_ inSize: Int, _ outSize: Int, dropout: Double, generator: Generator?) {
        convBlock = Sequential(
            Conv2d(inSize, outSize, kernelSize: [3], padding: [1], generator: generator), ReLU(), Dropout(p: dropout),
            Conv2d(outSize, outSize, kernelSize: [3], padding: [1], generator: generator), ReLU())
    }

    /// The block applied to `input`.
    public func forward(_ input: Tensor) -> Tensor { convBlock(input) }
}

/// The tutorial's `down_block`: one ``SegmentationUNet2DConvBlock`` (key prefix `conv_block.`).
public final class SegmentationUNet2DDownBlock: Module, UnaryLayer {
    /// The conv block.
    public let convBlock: SegmentationUNet2DConvBlock

    /// A block from `inSize` to `outSize` channels.
    public init(_ inSize: Int, _ outSize: Int, dropout: Double, generator: Generator?) {
        convBlock = SegmentationUNet2DConvBlock(inSize, outSize, dropout: dropout, generator: generator)
    }

    /// The block applied to `input`.
    public func forward(_ input: Tensor) -> Tensor { convBlock(input) }
}

/// The tutorial's `up_block`: a 2×2 stride-2 transposed convolution from `inSize` to `outSize`
/// channels, the skip concatenated after it, then a conv block from `inSize` to `outSize`.
public final class SegmentationUNet2DUpBlock: Module {
    /// The upsampling.
    public let up: ConvTranspose2d
    /// The conv block after the concatenation.
    public let convBlock: SegmentationUNet2DConvBlock

    /// A block from `inSize` to `outSize` channels (the skip has `inSize − outSize`).
    public init(_ inSize: Int, _ outSize: Int, dropout: Double, generator: Generator?) {
        up = ConvTranspose2d(inSize, outSize, kernelSize: [2], stride: [2], generator: generator)
        convBlock = SegmentationUNet2DConvBlock(inSize, outSize, dropout: dropout, generator: generator)
    }

    /// `[N, outSize, 2H, 2W]` from `x` `[N, inSize, H, W]` and the skip `bridge` `[N, inSize − outSize, 2H, 2W]`.
    public func callAsFunction(_ x: Tensor, bridge: Tensor) -> Tensor {
        convBlock(Tensor.cat([up(x), bridge], dim: 1))
    }
}
