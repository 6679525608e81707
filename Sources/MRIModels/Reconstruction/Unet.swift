/// fastMRI's U-Net (`fastmri.models.Unet`), the baseline image-to-image network of the fastMRI
/// challenge and the regulariser inside ``NormUnet`` and ``VarNet``.
///
/// O. Ronneberger, P. Fischer and T. Brox, "U-Net: Convolutional Networks for Biomedical Image
/// Segmentation", MICCAI 2015; as configured in J. Zbontar et al., "fastMRI: An Open Dataset and
/// Benchmarks for Accelerated MRI", arXiv:1811.08839.
///
/// `numPoolLayers` levels of ``ConvBlock`` then 2×2 average pooling, a ``ConvBlock`` bottleneck,
/// and as many ``TransposeConvBlock`` up-samplings, each concatenated with its skip connection and
/// followed by a ``ConvBlock``; a final 1×1 convolution gives `outChans` channels. Odd sizes are
/// handled as fastMRI does: an up-sampled map one pixel short is reflect-padded on the right/bottom.
/// `Unet(inChans: 1, outChans: 1)` (chans 32, 4 pools) has 7,756,097 parameters, as fastMRI's.
///
/// State-dict keys equal fastMRI's: `down_sample_layers.{i}.layers.{0,4}.weight`, `conv.…`,
/// `up_conv.{i}.…` (the last one `up_conv.{n}.0.layers…` and `up_conv.{n}.1.weight/bias`),
/// `up_transpose_conv.{i}.layers.0.weight`.
public final class Unet: Module, UnaryLayer {
    /// Input channels.
    public let inChans: Int
    /// Output channels.
    public let outChans: Int
    /// Channels of the first convolution; each level down doubles them.
    public let chans: Int
    /// The number of down-sampling (and up-sampling) levels.
    public let numPoolLayers: Int
    /// The `Dropout2d` probability inside every ``ConvBlock``.
    public let dropProb: Double
    /// Whether float32 CPU images run through the network in channels-last layout
    /// (``withChannelsLastLayout(_:enabled:_:)``; the result comes back in the default layout).
    /// There oneDNN convolves the 18–72 channel maps of VarNet's U-Nets without padding channels
    /// to its 8-wide blocks or reordering images: their forward and input-gradient convolutions
    /// take 30–40% less time, and instance norm runs the shim's channels-last kernel.
    public var channelsLastOnCPU = true

    let downSampleLayers: [ConvBlock]
    let conv: ConvBlock
    /// ``ConvBlock``s, the last one followed by the 1×1 output convolution (a `Sequential`).
    let upConv: [any UnaryLayer]
    let upTransposeConv: [TransposeConvBlock]

    /// A U-Net with fastMRI's hyper-parameters and defaults.
    ///
    /// - Parameters:
    ///   - inChans: input channels.
    ///   - outChans: output channels.
    ///   - chans: output channels of the first convolution.
    ///   - numPoolLayers: down-sampling and up-sampling levels.
    ///   - dropProb: dropout probability.
    public init(inChans: Int, outChans: Int, chans: Int = 32, numPoolLayers: Int = 4, dropProb: Double = 0) {
        precondition(numPoolLayers >= 1, "numPoolLayers must be at least 1, got \(numPoolLayers)")
        self.inChans = inChans
        self.outChans = outChans
        self.chans = chans
        self.numPoolLayers = numPoolLayers
        self.dropProb = dropProb
        var down = [ConvBlock(inChans, chans, dropProb: dropProb)]
        var ch = chans
        for _ in 1..<numPoolLayers {
            down.append(ConvBlock(ch, ch * 2, dropProb: dropProb))
            ch *= 2
        }
        downSampleLayers = down
        conv = ConvBlock(ch, ch * 2, dropProb: dropProb)
        var up: [any UnaryLayer] = []
        var transpose: [TransposeConvBlock] = []
        for _ in 1..<numPoolLayers {
            transpose.append(TransposeConvBlock(ch * 2, ch))
            up.append(ConvBlock(ch * 2, ch, dropProb: dropProb))
            ch /= 2
        }
        transpose.append(TransposeConvBlock(ch * 2, ch))
        up.append(Sequential(ConvBlock(ch * 2, ch, dropProb: dropProb), Conv2d(ch, outChans, kernelSize: [1])))
        upConv = up
        upTransposeConv = transpose
    }

    /// The U-Net of `image`.
    ///
    /// - Parameter image: `[N, inChans, H, W]`.
    /// - Returns: `[N, outChans, H, W]`.
    public func forward(_ image: Tensor) -> Tensor {
        withChannelsLastLayout(image, enabled: channelsLastOnCPU, layers)
    }

    private func layers(_ image: Tensor) -> Tensor {
        var stack: [Tensor] = []
        var output = image
        for layer in downSampleLayers {
            output = layer(output)
            stack.append(output)
            output = Functional.avgPool2d(output, kernelSize: [2], stride: [2])
        }
        output = conv(output)
        for (transposeConv, upLayer) in zip(upTransposeConv, upConv) {
            let skip = stack.removeLast()
            output = transposeConv(output)
            // An odd size halves down and doubles back one short: fastMRI reflect-pads right/bottom.
            let padRight = output.size(-1) != skip.size(-1) ? 1 : 0
            let padBottom = output.size(-2) != skip.size(-2) ? 1 : 0
            if padRight + padBottom > 0 {
                output = output.pad([0, padRight, 0, padBottom], mode: .reflect)
            }
            output = upLayer(Tensor.cat([output, skip], dim: 1))
        }
        return output
    }
}

/// fastMRI's U-Net convolution block (`fastmri.models.unet.ConvBlock`): twice a 3×3 convolution
/// without bias, instance normalisation, LeakyReLU(0.2) and `Dropout2d`.
///
/// `[N, inChans, H, W]` → `[N, outChans, H, W]`; keys `layers.0.weight`, `layers.4.weight`.
public final class ConvBlock: Module, UnaryLayer {
    let layers: Sequential

    /// A block from `inChans` to `outChans` channels with dropout probability `dropProb`.
    public init(_ inChans: Int, _ outChans: Int, dropProb: Double) {
        layers = Sequential(
            Conv2d(inChans, outChans, kernelSize: [3], padding: [1], bias: false),
            InstanceNorm2d(outChans),
            LeakyReLU(negativeSlope: 0.2, inPlace: true),
            Dropout2d(p: dropProb),
            Conv2d(outChans, outChans, kernelSize: [3], padding: [1], bias: false),
            InstanceNorm2d(outChans),
            LeakyReLU(negativeSlope: 0.2, inPlace: true),
            Dropout2d(p: dropProb))
    }

    /// The block applied to `image` `[N, inChans, H, W]`: `[N, outChans, H, W]`.
    public func forward(_ image: Tensor) -> Tensor { layers(image) }
}

/// fastMRI's U-Net up-sampling block (`fastmri.models.unet.TransposeConvBlock`): a 2×2
/// stride-2 transposed convolution without bias, instance normalisation and LeakyReLU(0.2).
///
/// `[N, inChans, H, W]` → `[N, outChans, 2H, 2W]`; key `layers.0.weight`.
public final class TransposeConvBlock: Module, UnaryLayer {
    let layers: Sequential

    /// A block from `inChans` to `outChans` channels.
    public init(_ inChans: Int, _ outChans: Int) {
        layers = Sequential(
            ConvTranspose2d(inChans, outChans, kernelSize: [2], stride: [2], bias: false),
            InstanceNorm2d(outChans),
            LeakyReLU(negativeSlope: 0.2, inPlace: true))
    }

    /// The block applied to `image` `[N, inChans, H, W]`: `[N, outChans, 2H, 2W]`.
    public func forward(_ image: Tensor) -> Tensor { layers(image) }
}
