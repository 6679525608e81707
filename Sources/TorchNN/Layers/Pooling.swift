/// The hyper-parameters of the max-pooling layers (`_MaxPoolNd`), whose initialiser ``MaxPool2d`` and
/// ``MaxPool3d`` inherit: `stride` defaults to `kernelSize`, padding is implicit -∞. One value in a size
/// stands for every spatial dimension.
public class MaxPool: Module {
    /// The window size.
    public let kernelSize: [Int]
    /// The window step (`nil`: the kernel size).
    public let stride: [Int]?
    /// The implicit padding on each side.
    public let padding: [Int]
    /// The spacing of window elements.
    public let dilation: [Int]
    /// Whether output sizes round up.
    public let ceilMode: Bool

    /// A pooling layer with PyTorch's defaults.
    public init(
        kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0], dilation: [Int] = [1], ceilMode: Bool = false
    ) {
        (self.kernelSize, self.stride, self.padding, self.dilation, self.ceilMode) =
            (kernelSize, stride, padding, dilation, ceilMode)
    }
}

/// The maximum over windows of `[N, C, H, W]` (`nn.MaxPool2d`); see ``MaxPool``.
public final class MaxPool2d: MaxPool, UnaryLayer {
    /// `[N, C, Hout, Wout]`.
    public func forward(_ input: Tensor) -> Tensor {
        Functional.maxPool2d(input, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation,
                             ceilMode: ceilMode)
    }
}

/// The maximum over windows of `[N, C, D, H, W]` (`nn.MaxPool3d`); see ``MaxPool``.
public final class MaxPool3d: MaxPool, UnaryLayer {
    /// `[N, C, Dout, Hout, Wout]`.
    public func forward(_ input: Tensor) -> Tensor {
        Functional.maxPool3d(input, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation,
                             ceilMode: ceilMode)
    }
}

/// The hyper-parameters of the average-pooling layers (`_AvgPoolNd`), whose initialiser ``AvgPool2d`` and
/// ``AvgPool3d`` inherit: `stride` defaults to `kernelSize`. One value in a size stands for every spatial
/// dimension.
public class AvgPool: Module {
    /// The window size.
    public let kernelSize: [Int]
    /// The window step (`nil`: the kernel size).
    public let stride: [Int]?
    /// The implicit zero padding on each side.
    public let padding: [Int]
    /// Whether output sizes round up.
    public let ceilMode: Bool
    /// Whether zero padding counts in the divisor.
    public let countIncludePad: Bool
    /// A divisor replacing the window size, if given.
    public let divisorOverride: Int?

    /// A pooling layer with PyTorch's defaults.
    public init(
        kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0], ceilMode: Bool = false,
        countIncludePad: Bool = true, divisorOverride: Int? = nil
    ) {
        (self.kernelSize, self.stride, self.padding, self.ceilMode, self.countIncludePad, self.divisorOverride) =
            (kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride)
    }
}

/// The mean over windows of `[N, C, H, W]` (`nn.AvgPool2d`); see ``AvgPool``.
public final class AvgPool2d: AvgPool, UnaryLayer {
    /// `[N, C, Hout, Wout]`.
    public func forward(_ input: Tensor) -> Tensor {
        Functional.avgPool2d(input, kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode,
                             countIncludePad: countIncludePad, divisorOverride: divisorOverride)
    }
}

/// The mean over windows of `[N, C, D, H, W]` (`nn.AvgPool3d`); see ``AvgPool``.
public final class AvgPool3d: AvgPool, UnaryLayer {
    /// `[N, C, Dout, Hout, Wout]`.
    public func forward(_ input: Tensor) -> Tensor {
        Functional.avgPool3d(input, kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode,
                             countIncludePad: countIncludePad, divisorOverride: divisorOverride)
    }
}

/// The mean over windows chosen so that `[N, C, H, W]` becomes `[N, C, outputSize...]`
/// (`nn.AdaptiveAvgPool2d`); one value stands for both dimensions.
public final class AdaptiveAvgPool2d: Module, UnaryLayer {
    /// The output's spatial size.
    public let outputSize: [Int]

    /// A pooling layer to `outputSize`.
    public init(outputSize: [Int]) { self.outputSize = outputSize.count == 1 ? outputSize + outputSize : outputSize }

    /// `[N, C, outputSize...]`.
    public func forward(_ input: Tensor) -> Tensor { Functional.adaptiveAvgPool2d(input, outputSize: outputSize) }
}

/// The mean over windows chosen so that `[N, C, D, H, W]` becomes `[N, C, outputSize...]`
/// (`nn.AdaptiveAvgPool3d`); one value stands for all three dimensions.
public final class AdaptiveAvgPool3d: Module, UnaryLayer {
    /// The output's spatial size.
    public let outputSize: [Int]

    /// A pooling layer to `outputSize`.
    public init(outputSize: [Int]) {
        self.outputSize = outputSize.count == 1 ? Array(repeating: outputSize[0], count: 3) : outputSize
    }

    /// `[N, C, outputSize...]`.
    public func forward(_ input: Tensor) -> Tensor { Functional.adaptiveAvgPool3d(input, outputSize: outputSize) }
}
