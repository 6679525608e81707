private extension ATen {
    static let maxPool1d = ATenOperator("aten::max_pool1d")
    static let maxPool2d = ATenOperator("aten::max_pool2d")
    static let maxPool3d = ATenOperator("aten::max_pool3d")
    static let avgPool1d = ATenOperator("aten::avg_pool1d")
    static let avgPool2d = ATenOperator("aten::avg_pool2d")
    static let avgPool3d = ATenOperator("aten::avg_pool3d")
    static let adaptiveAvgPool1d = ATenOperator("aten::adaptive_avg_pool1d")
    static let adaptiveAvgPool2d = ATenOperator("aten::adaptive_avg_pool2d")
    static let adaptiveAvgPool3d = ATenOperator("aten::adaptive_avg_pool3d")
    static let adaptiveMaxPool2d = ATenOperator("aten::adaptive_max_pool2d")
    static let adaptiveMaxPool3d = ATenOperator("aten::adaptive_max_pool3d")
}

extension Functional {
    // MARK: Max pooling

    /// The maximum over `kernelSize` windows of `[N, C, L]` (or `[C, L]`). `stride` defaults to
    /// `kernelSize`; `padding` is implicit -∞; `ceilMode` rounds the output size up.
    public static func maxPool1d(
        _ input: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0], dilation: [Int] = [1],
        ceilMode: Bool = false
    ) -> Tensor {
        maxPool(ATen.maxPool1d, input, kernelSize, stride, padding, dilation, ceilMode)
    }

    /// The maximum over `kernelSize` windows of `[N, C, H, W]` (or `[C, H, W]`). `stride` defaults to
    /// `kernelSize`; `padding` is implicit -∞; `ceilMode` rounds the output size up. 2×2 windows of
    /// row-major float32 CPU images take the shim's faster kernel (``maxPool2x2(_:)``).
    public static func maxPool2d(
        _ input: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0], dilation: [Int] = [1],
        ceilMode: Bool = false
    ) -> Tensor {
        if maxPool2x2Applies(
            input, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
        {
            return maxPool2x2(input)
        }
        return maxPool(ATen.maxPool2d, input, kernelSize, stride, padding, dilation, ceilMode)
    }

    /// The maximum over `kernelSize` windows of `[N, C, D, H, W]` (or `[C, D, H, W]`).
    public static func maxPool3d(
        _ input: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0], dilation: [Int] = [1],
        ceilMode: Bool = false
    ) -> Tensor {
        maxPool(ATen.maxPool3d, input, kernelSize, stride, padding, dilation, ceilMode)
    }

    // MARK: Average pooling

    /// The mean over `kernelSize` windows of `[N, C, L]`. `countIncludePad` counts zero padding in
    /// the divisor.
    public static func avgPool1d(
        _ input: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0], ceilMode: Bool = false,
        countIncludePad: Bool = true
    ) -> Tensor {
        ATen.avgPool1d(.tensor(input), .ints(kernelSize), .ints(stride ?? []), .ints(padding), .bool(ceilMode),
                       .bool(countIncludePad))
    }

    /// The mean over `kernelSize` windows of `[N, C, H, W]`. `countIncludePad` counts zero padding in
    /// the divisor; `divisorOverride` replaces the divisor.
    public static func avgPool2d(
        _ input: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0], ceilMode: Bool = false,
        countIncludePad: Bool = true, divisorOverride: Int? = nil
    ) -> Tensor {
        avgPool(ATen.avgPool2d, input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride)
    }

    /// The mean over `kernelSize` windows of `[N, C, D, H, W]`.
    public static func avgPool3d(
        _ input: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0], ceilMode: Bool = false,
        countIncludePad: Bool = true, divisorOverride: Int? = nil
    ) -> Tensor {
        avgPool(ATen.avgPool3d, input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride)
    }

    // MARK: Adaptive pooling

    /// The mean over windows chosen so that `[N, C, L]` becomes `[N, C, outputSize]`.
    public static func adaptiveAvgPool1d(_ input: Tensor, outputSize: [Int]) -> Tensor {
        ATen.adaptiveAvgPool1d(.tensor(input), .ints(outputSize))
    }

    /// The mean over windows chosen so that `[N, C, H, W]` becomes `[N, C, outputSize...]`.
    public static func adaptiveAvgPool2d(_ input: Tensor, outputSize: [Int]) -> Tensor {
        ATen.adaptiveAvgPool2d(.tensor(input), .ints(outputSize))
    }

    /// The mean over windows chosen so that `[N, C, D, H, W]` becomes `[N, C, outputSize...]`.
    public static func adaptiveAvgPool3d(_ input: Tensor, outputSize: [Int]) -> Tensor {
        ATen.adaptiveAvgPool3d(.tensor(input), .ints(outputSize))
    }

    /// The maximum over windows chosen so that `[N, C, H, W]` becomes `[N, C, outputSize...]`.
    public static func adaptiveMaxPool2d(_ input: Tensor, outputSize: [Int]) -> Tensor {
        ATen.adaptiveMaxPool2d.tensors(.tensor(input), .ints(outputSize))[0]
    }

    /// The maximum over windows chosen so that `[N, C, D, H, W]` becomes `[N, C, outputSize...]`.
    public static func adaptiveMaxPool3d(_ input: Tensor, outputSize: [Int]) -> Tensor {
        ATen.adaptiveMaxPool3d.tensors(.tensor(input), .ints(outputSize))[0]
    }

    private static func maxPool(
        _ op: ATenOperator, _ input: Tensor, _ kernelSize: [Int], _ stride: [Int]?, _ padding: [Int],
        _ dilation: [Int], _ ceilMode: Bool
    ) -> Tensor {
        // An empty stride is ATen's "same as the kernel".
        op(.tensor(input), .ints(kernelSize), .ints(stride ?? []), .ints(padding), .ints(dilation), .bool(ceilMode))
    }

    private static func avgPool(
        _ op: ATenOperator, _ input: Tensor, _ kernelSize: [Int], _ stride: [Int]?, _ padding: [Int],
        _ ceilMode: Bool, _ countIncludePad: Bool, _ divisorOverride: Int?
    ) -> Tensor {
        op(.tensor(input), .ints(kernelSize), .ints(stride ?? []), .ints(padding), .bool(ceilMode),
           .bool(countIncludePad), .optionalInt(divisorOverride))
    }
}
