import Torch

extension ATen {
    static let convolution = ATenOperator("aten::convolution")
    static let convolutionBackward = ATenOperator("aten::convolution_backward")
}

/// A convolution (one group, not transposed) whose forward pass and input gradient are libtorch's
/// and whose weight gradient `weightGradient(outputGradient, input, weight)` computes: the frame
/// that ``ChannelsLastWeightGradient`` and ``WinogradWeightGradient`` share. `forward` runs the
/// plain convolution of its operands; the bias gradient is the output gradient summed over all
/// but the channel dimension.
func convolutionWithWeightGradient(
    _ input: Tensor, weight: Tensor, bias: Tensor?, stride: [Int], padding: [Int], dilation: [Int],
    forward: (_ input: Tensor, _ weight: Tensor, _ bias: Tensor?) -> Tensor,
    weightGradient: @escaping (_ outputGradient: Tensor, _ input: Tensor, _ weight: Tensor) -> Tensor
) -> Tensor {
    let inputs = [input, weight] + (bias.map { [$0] } ?? [])
    return CustomFunction.apply(inputs: inputs) { inputs, context in
        context.saveForBackward([inputs[0], inputs[1]])
        return [forward(inputs[0], inputs[1], inputs.count > 2 ? inputs[2] : nil)]
    } backward: { gradients, context in
        let (input, weight) = (context.savedTensors[0], context.savedTensors[1])
        let gradient = gradients[0]
        let needs = context.needsInputGrad
        let inputGradient = needs[0]
            ? ATen.convolutionBackward.tensors(
                .tensor(gradient), .tensor(input), .tensor(weight), .none, .ints(stride), .ints(padding),
                .ints(dilation), .bool(false), .ints([0]), .int(1), .bools([true, false, false]))[0]
            : nil
        let weightGradient = needs[1] ? weightGradient(gradient, input, weight) : nil
        let biasGradient = needs.count > 2 && needs[2] ? gradient.sum(dim: [0] + Array(2..<gradient.rank)) : nil
        return [inputGradient, weightGradient] + (needs.count > 2 ? [biasGradient] : [])
    }[0]
}

/// libtorch's convolution (`aten::convolution`, any number of spatial dimensions, one group), its
/// weight gradient computed by libtorch on the operands converted to `memoryFormat` (and returned
/// in the default layout): for layers whose fastest weight-gradient kernel reads another layout
/// than their forward pass (``ChannelsLastWeightGradient``, ``ChannelsLastConv2d``).
func convolutionWithWeightGradient(
    _ input: Tensor, weight: Tensor, bias: Tensor?, stride: [Int], padding: [Int], dilation: [Int],
    weightGradientIn memoryFormat: MemoryFormat
) -> Tensor {
    convolutionWithWeightGradient(
        input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation
    ) { input, weight, bias in
        ATen.convolution(
            .tensor(input), .tensor(weight), .optionalTensor(bias), .ints(stride), .ints(padding), .ints(dilation),
            .bool(false), .ints([0]), .int(1))
    } weightGradient: { gradient, input, weight in
        ATen.convolutionBackward.tensors(
            .tensor(gradient.contiguous(memoryFormat: memoryFormat)), .tensor(input.contiguous(memoryFormat: memoryFormat)),
            .tensor(weight.contiguous(memoryFormat: memoryFormat)), .none, .ints(stride), .ints(padding),
            .ints(dilation), .bool(false), .ints([0]), .int(1), .bools([false, true, false]))[1].contiguous()
    }
}
