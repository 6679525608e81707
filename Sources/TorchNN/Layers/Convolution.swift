/// The hyper-parameters and state shared by every convolution layer (`_ConvNd`).
///
/// Sizes are per spatial dimension; one value stands for all (`kernelSize: [3]` is 3×3 in 2-d).
/// Initialised as PyTorch does: `weight` by `kaiming_uniform_(a: √5)`, `bias` by
/// 𝒰(±1/√fanIn), `fanIn = weight.size(1)·∏kernelSize`, drawing from `generator` (or the global one).
public class ConvolutionLayer: Module {
    /// `[outChannels, inChannels/groups, kernel...]`, or `[inChannels, outChannels/groups, kernel...]`
    /// for transposed convolutions.
    @Parameter public var weight: Tensor
    /// `[outChannels]`, or `nil` without bias.
    @Parameter public var bias: Tensor?

    /// Input channels.
    public let inChannels: Int
    /// Output channels.
    public let outChannels: Int
    /// The kernel size per spatial dimension.
    public let kernelSize: [Int]
    /// The stride per spatial dimension.
    public let stride: [Int]
    /// Implicit zero padding per spatial dimension.
    public let padding: [Int]
    /// The kernel dilation per spatial dimension.
    public let dilation: [Int]
    /// The number of blocked connections from input to output channels.
    public let groups: Int

    /// The number of spatial dimensions, which each concrete layer (`Conv2d`, ...) names.
    class var spatialDimensions: Int {
        preconditionFailure("\(Self.self) is abstract: use a layer such as Conv2d or ConvTranspose2d")
    }

    init(
        transposed: Bool, inChannels: Int, outChannels: Int, kernelSize: [Int], stride: [Int],
        padding: [Int], dilation: [Int], groups: Int, bias: Bool, dtype: DType?, device: Device?,
        generator: Generator?
    ) {
        precondition(inChannels % groups == 0, "in_channels must be divisible by groups")
        precondition(outChannels % groups == 0, "out_channels must be divisible by groups")
        let spatialDimensions = Self.spatialDimensions
        func expand(_ values: [Int], _ name: String) -> [Int] {
            precondition(values.count == 1 || values.count == spatialDimensions,
                         "\(name) needs 1 or \(spatialDimensions) values, got \(values)")
            return values.count == 1 ? Array(repeating: values[0], count: spatialDimensions) : values
        }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = expand(kernelSize, "kernelSize")
        self.stride = expand(stride, "stride")
        self.padding = expand(padding, "padding")
        self.dilation = expand(dilation, "dilation")
        self.groups = groups
        let channels = transposed ? [inChannels, outChannels / groups] : [outChannels, inChannels / groups]
        let (initialWeight, initialBias) = defaultWeightAndBias(
            weightShape: channels + self.kernelSize, biasSize: bias ? outChannels : nil, dtype: dtype, device: device,
            generator: generator)
        weight = initialWeight
        self.bias = initialBias
    }
}

/// A convolution layer (`Conv1d/2d/3d`), whose initialiser those inherit.
public class Convolution: ConvolutionLayer {
    /// A convolution with PyTorch's hyper-parameters and defaults (zero padding).
    public init(
        _ inChannels: Int, _ outChannels: Int, kernelSize: [Int], stride: [Int] = [1], padding: [Int] = [0],
        dilation: [Int] = [1], groups: Int = 1, bias: Bool = true, dtype: DType? = nil, device: Device? = nil,
        generator: Generator? = nil
    ) {
        super.init(
            transposed: false, inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize,
            stride: stride, padding: padding, dilation: dilation, groups: groups, bias: bias, dtype: dtype,
            device: device, generator: generator)
    }
}

/// 1-d convolution (`nn.Conv1d`): `[N, inChannels, L]` → `[N, outChannels, Lout]`.
public final class Conv1d: Convolution, UnaryLayer {
    override class var spatialDimensions: Int { 1 }

    /// The convolution of `input`.
    public func forward(_ input: Tensor) -> Tensor {
        Functional.conv1d(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation,
                          groups: groups)
    }
}

/// 2-d convolution (`nn.Conv2d`): `[N, inChannels, H, W]` → `[N, outChannels, Hout, Wout]`.
public final class Conv2d: Convolution, UnaryLayer {
    override class var spatialDimensions: Int { 2 }

    /// The convolution of `input` (in CPU training, the weight gradient of "same" 3×3 convolutions
    /// with enough channels and tiles by Winograd's F(4×4, 3×3): ``WinogradWeightGradient``; that
    /// of other channels-last inputs from NCHW copies: ``ChannelsLastConv2d``).
    public func forward(_ input: Tensor) -> Tensor {
        if WinogradWeightGradient.applies(
            input: input, weight: weight, stride: stride, padding: padding, dilation: dilation, groups: groups)
        {
            return WinogradWeightGradient.conv2d(input, weight: weight, bias: bias)
        }
        if ChannelsLastConv2d.applies(input: input, weight: weight, groups: groups) {
            return convolutionWithWeightGradient(
                input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation,
                weightGradientIn: .contiguous)
        }
        return Functional.conv2d(
            input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }
}

/// 3-d convolution (`nn.Conv3d`): `[N, inChannels, D, H, W]` → `[N, outChannels, Dout, Hout, Wout]`.
public final class Conv3d: Convolution, UnaryLayer {
    override class var spatialDimensions: Int { 3 }

    /// The convolution of `input` (in training on large CPU volumes, with the weight gradient
    /// computed in channels-last layout: ``ChannelsLastWeightGradient``).
    public func forward(_ input: Tensor) -> Tensor {
        if ChannelsLastWeightGradient.applies(input: input, weight: weight, stride: stride, groups: groups) {
            return convolutionWithWeightGradient(
                input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation,
                weightGradientIn: .channelsLast3d)
        }
        return Functional.conv3d(
            input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }
}

/// A transposed convolution layer (`ConvTranspose2d/3d`), whose initialiser those inherit.
public class TransposedConvolution: ConvolutionLayer {
    /// Extra size added to one side of the output, per spatial dimension.
    public let outputPadding: [Int]

    /// A transposed convolution with PyTorch's hyper-parameters and defaults.
    public init(
        _ inChannels: Int, _ outChannels: Int, kernelSize: [Int], stride: [Int] = [1], padding: [Int] = [0],
        outputPadding: [Int] = [0], groups: Int = 1, bias: Bool = true, dilation: [Int] = [1], dtype: DType? = nil,
        device: Device? = nil, generator: Generator? = nil
    ) {
        self.outputPadding = outputPadding.count == 1
            ? Array(repeating: outputPadding[0], count: Self.spatialDimensions) : outputPadding
        super.init(
            transposed: true, inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize,
            stride: stride, padding: padding, dilation: dilation, groups: groups, bias: bias, dtype: dtype,
            device: device, generator: generator)
    }
}

/// 2-d transposed convolution (`nn.ConvTranspose2d`): `[N, inChannels, H, W]` →
/// `[N, outChannels, (H-1)·stride - 2·padding + dilation·(k-1) + outputPadding + 1, ...]`.
public final class ConvTranspose2d: TransposedConvolution, UnaryLayer {
    override class var spatialDimensions: Int { 2 }

    /// The transposed convolution of `input`.
    public func forward(_ input: Tensor) -> Tensor {
        Functional.convTranspose2d(input, weight: weight, bias: bias, stride: stride, padding: padding,
                                   outputPadding: outputPadding, groups: groups, dilation: dilation)
    }
}

/// 3-d transposed convolution (`nn.ConvTranspose3d`): `[N, inChannels, D, H, W]` → `[N, outChannels, ...]`.
public final class ConvTranspose3d: TransposedConvolution, UnaryLayer {
    override class var spatialDimensions: Int { 3 }

    /// The transposed convolution of `input`.
    public func forward(_ input: Tensor) -> Tensor {
        Functional.convTranspose3d(input, weight: weight, bias: bias, stride: stride, padding: padding,
                                   outputPadding: outputPadding, groups: groups, dilation: dilation)
    }
}
