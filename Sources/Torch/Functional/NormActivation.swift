import CTorch

extension Functional {
    /// `leakyRelu(batchNorm(input, weight:, bias:, training: true), negativeSlope:)` (a ReLU for
    /// `negativeSlope` 0) fused in one kernel of the shim, on a row-major float32 CPU tensor
    /// `[N, C, ...]` (``normActivationApplies(to:)``).
    ///
    /// libtorch runs these as separate passes over memory. The kernel normalises one channel at a
    /// time, reading it once from memory and again from the core's cache, and its backward pass
    /// recomputes the activation's mask from the input instead of saving the output: BatchNorm2d
    /// + ReLU forward and backward on `[1, 32, 256, 256]` take 0.57–0.68× libtorch's time
    /// (2 threads). Results equal libtorch's to float32 rounding; the statistics are summed in
    /// double precision.
    ///
    /// - Parameters:
    ///   - weight, bias: `[C]` float32, or `nil`.
    ///   - eps: added to the variance.
    /// - Returns: the activations, shaped like `input`, and each channel's mean and biased
    ///   variance `[C]` (not differentiable), from which the caller updates running statistics.
    public static func batchNormActivation(
        _ input: Tensor, weight: Tensor?, bias: Tensor?, eps: Double, negativeSlope: Double
    ) -> (output: Tensor, mean: Tensor, variance: Tensor) {
        normActivation(input, weight: weight, bias: bias, perImage: false, eps: eps, negativeSlope: negativeSlope)
    }

    /// `leakyRelu(instanceNorm(input, weight:, bias:), negativeSlope:)` (no running statistics)
    /// fused in one kernel of the shim, as ``batchNormActivation(_:weight:bias:eps:negativeSlope:)``
    /// but per image: on a row-major float32 CPU tensor `[N, C, ...]`, or without affine
    /// parameters on a float32 CPU image batch stored channels-last (`isChannelsLastCPUImage`),
    /// whose output stays channels-last. The channels-last kernel is the one `instanceNorm` takes
    /// for those images; fused, the activation costs no pass of its own.
    public static func instanceNormActivation(
        _ input: Tensor, weight: Tensor?, bias: Tensor?, eps: Double, negativeSlope: Double
    ) -> Tensor {
        if weight == nil, bias == nil, input.isChannelsLastCPUImage {
            return channelsLastInstanceNorm(input, eps: eps, negativeSlope: negativeSlope)
        }
        return normActivation(
            input, weight: weight, bias: bias, perImage: true, eps: eps, negativeSlope: negativeSlope
        ).output
    }

    /// Whether the fused kernels take `input` in row-major layout: a float32 CPU tensor
    /// `[N, C, ...]` with values to normalise.
    public static func normActivationApplies(to input: Tensor) -> Bool {
        input.rank >= 2 && input.device.kind == .cpu && input.dtype == .float32 && input.isContiguous
            && input.count > 0
    }

    /// The fused kernel on a row-major tensor: each channel over the batch (`perImage` false) or
    /// each image's channel; the statistics are `[C]` or `[N·C]`.
    private static func normActivation(
        _ input: Tensor, weight: Tensor?, bias: Tensor?, perImage: Bool, eps: Double, negativeSlope: Double
    ) -> (output: Tensor, mean: Tensor, variance: Tensor) {
        let parameters = [weight, bias].compactMap { $0 }
        let outputs = CustomFunction.apply(inputs: [input] + parameters) { inputs, context in
            var (output, mean, variance): (mt_tensor?, mt_tensor?, mt_tensor?)
            check(mt_norm_activation(
                inputs[0].handle, weight?.handle, bias?.handle, perImage, eps, negativeSlope, &output, &mean,
                &variance))
            let statistics = [Tensor.wrapping(mean), Tensor.wrapping(variance)]
            context.saveForBackward([inputs[0]] + statistics)
            return [Tensor.wrapping(output)] + statistics
        } backward: { gradients, context in
            let saved = context.savedTensors
            var (inputGradient, weightGradient, biasGradient): (mt_tensor?, mt_tensor?, mt_tensor?)
            check(mt_norm_activation_backward(
                gradients[0].handle, saved[0].handle, weight?.handle, bias?.handle, saved[1].handle,
                saved[2].handle, perImage, eps, negativeSlope, &inputGradient, &weightGradient, &biasGradient))
            let parameterGradients = [weightGradient, biasGradient].compactMap { $0 }.map { Tensor.wrapping($0) }
            return [Tensor.wrapping(inputGradient)] + parameterGradients
        }
        return (outputs[0], outputs[1].detach(), outputs[2].detach())
    }
}
