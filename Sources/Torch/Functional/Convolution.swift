private extension ATen {
    static let conv1d = ATenOperator("aten::conv1d")
    static let conv2d = ATenOperator("aten::conv2d")
    static let conv3d = ATenOperator("aten::conv3d")
    static let convTranspose1d = ATenOperator("aten::conv_transpose1d")
    static let convTranspose2d = ATenOperator("aten::conv_transpose2d", "input")
    static let convTranspose3d = ATenOperator("aten::conv_transpose3d", "input")
}

extension Functional {
    /// 1-d cross-correlation: input `[N, Cin, L]` (or `[Cin, L]`), weight `[Cout, Cin/groups, K]`,
    /// bias `[Cout]` → `[N, Cout, Lout]`.
    public static func conv1d(
        _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: [Int] = [1], padding: [Int] = [0],
        dilation: [Int] = [1], groups: Int = 1
    ) -> Tensor {
        convolution(ATen.conv1d, input, weight, bias, stride, padding, dilation, groups)
    }

    /// 2-d cross-correlation: input `[N, Cin, H, W]` (or `[Cin, H, W]`), weight
    /// `[Cout, Cin/groups, kH, kW]`, bias `[Cout]` → `[N, Cout, Hout, Wout]`.
    public static func conv2d(
        _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: [Int] = [1], padding: [Int] = [0],
        dilation: [Int] = [1], groups: Int = 1
    ) -> Tensor {
        convolution(ATen.conv2d, input, weight, bias, stride, padding, dilation, groups)
    }

    /// 3-d cross-correlation: input `[N, Cin, D, H, W]` (or unbatched), weight
    /// `[Cout, Cin/groups, kD, kH, kW]`, bias `[Cout]` → `[N, Cout, Dout, Hout, Wout]`.
    public static func conv3d(
        _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: [Int] = [1], padding: [Int] = [0],
        dilation: [Int] = [1], groups: Int = 1
    ) -> Tensor {
        convolution(ATen.conv3d, input, weight, bias, stride, padding, dilation, groups)
    }

    /// 1-d transposed convolution: input `[N, Cin, L]`, weight `[Cin, Cout/groups, K]`, bias `[Cout]`.
    /// `outputPadding` adds to one side of the output to pick among the sizes a stride maps back to.
    public static func convTranspose1d(
        _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: [Int] = [1], padding: [Int] = [0],
        outputPadding: [Int] = [0], groups: Int = 1, dilation: [Int] = [1]
    ) -> Tensor {
        transposedConvolution(
            ATen.convTranspose1d, input, weight, bias, stride, padding, outputPadding, groups, dilation)
    }

    /// 2-d transposed convolution: input `[N, Cin, H, W]`, weight `[Cin, Cout/groups, kH, kW]`, bias `[Cout]`
    /// → `[N, Cout, (H-1)·stride - 2·padding + dilation·(kH-1) + outputPadding + 1, ...]`.
    public static func convTranspose2d(
        _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: [Int] = [1], padding: [Int] = [0],
        outputPadding: [Int] = [0], groups: Int = 1, dilation: [Int] = [1]
    ) -> Tensor {
        transposedConvolution(
            ATen.convTranspose2d, input, weight, bias, stride, padding, outputPadding, groups, dilation)
    }

    /// 3-d transposed convolution: input `[N, Cin, D, H, W]`, weight `[Cin, Cout/groups, kD, kH, kW]`,
    /// bias `[Cout]`.
    public static func convTranspose3d(
        _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: [Int] = [1], padding: [Int] = [0],
        outputPadding: [Int] = [0], groups: Int = 1, dilation: [Int] = [1]
    ) -> Tensor {
        transposedConvolution(
            ATen.convTranspose3d, input, weight, bias, stride, padding, outputPadding, groups, dilation)
    }

    private static func convolution(
        _ op: ATenOperator, _ input: Tensor, _ weight: Tensor, _ bias: Tensor?, _ stride: [Int], _ padding: [Int],
        _ dilation: [Int], _ groups: Int
    ) -> Tensor {
        op(.tensor(input), .tensor(weight), .optionalTensor(bias), .ints(stride), .ints(padding), .ints(dilation),
           .int(groups))
    }

    private static func transposedConvolution(
        _ op: ATenOperator, _ input: Tensor, _ weight: Tensor, _ bias: Tensor?, _ stride: [Int], _ padding: [Int],
        _ outputPadding: [Int], _ groups: Int, _ dilation: [Int]
    ) -> Tensor {
        op(.tensor(input), .tensor(weight), .optionalTensor(bias), .ints(stride), .ints(padding), .ints(outputPadding),
           .int(groups), .ints(dilation))
    }
}
