import CTorch

extension Functional {
    /// `maxPool2d(input, kernelSize: [2])` (stride 2, no padding, no dilation) of a row-major
    /// float32 CPU image batch `[N, C, H, W]`, H and W ≥ 2, by a kernel of the shim: the U-Nets'
    /// down-sampling. ``maxPool2d(_:kernelSize:stride:padding:dilation:ceilMode:)`` takes it for
    /// those arguments (``maxPool2x2Applies(_:kernelSize:stride:padding:dilation:ceilMode:)``).
    ///
    /// libtorch's general kernel writes an int64 index per output and took 7–8 ms for
    /// `[1, 32, 256, 256]` (2 threads); this one, four windows at a time in SSE registers, about
    /// 0.3 ms. Its backward pass finds each window's winner again from the input instead of saving
    /// indices. Windows pick their winner as libtorch does: the first maximum in row-major order,
    /// NaN propagating; values and gradients equal libtorch's exactly. Its gradient is not
    /// differentiable again (no double backward through this path).
    static func maxPool2x2(_ input: Tensor) -> Tensor {
        CustomFunction.apply(inputs: [input]) { inputs, context in
            var output: mt_tensor?
            check(mt_max_pool2x2(inputs[0].handle, &output))
            context.saveForBackward([inputs[0]])
            return [Tensor.wrapping(output)]
        } backward: { gradients, context in
            var inputGradient: mt_tensor?
            check(mt_max_pool2x2_backward(gradients[0].handle, context.savedTensors[0].handle, &inputGradient))
            return [Tensor.wrapping(inputGradient)]
        }[0]
    }

    /// Whether `maxPool2d` with these arguments is ``maxPool2x2(_:)`` of `input`: 2×2 windows
    /// with stride 2, no padding or dilation, and a row-major float32 CPU image batch of at least
    /// 2×2 pixels (ceil mode only on even sizes, where it changes nothing).
    static func maxPool2x2Applies(
        _ input: Tensor, kernelSize: [Int], stride: [Int]?, padding: [Int], dilation: [Int], ceilMode: Bool
    ) -> Bool {
        func isEvery(_ values: [Int], _ value: Int) -> Bool {
            (values.count == 1 || values.count == 2) && values.allSatisfy { $0 == value }
        }
        guard isEvery(kernelSize, 2), stride.map({ isEvery($0, 2) }) ?? true, isEvery(padding, 0),
            isEvery(dilation, 1), input.rank == 4, input.device.kind == .cpu, input.dtype == .float32,
            input.isContiguous, input.shape[0] > 0, input.shape[1] > 0, input.shape[2] >= 2, input.shape[3] >= 2
        else { return false }
        return !ceilMode || (input.shape[2] % 2 == 0 && input.shape[3] % 2 == 0)
    }
}
