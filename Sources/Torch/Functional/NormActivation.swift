import CTorch

extension Functional {
    /// Normalisation with the input's own statistics, an optional per-channel affine map and a
    /// leaky ReLU, fused in one kernel of the shim: `leakyRelu(batchNorm(input, training: true))`
    /// when `perImage` is false (each channel over the batch), `leakyRelu(instanceNorm(input))`
    /// when it is true (each image's channel), with `negativeSlope` 0 for a ReLU.
    ///
    /// libtorch runs these as separate passes over memory. The kernel normalises one channel (or
    /// one image's channel) at a time, reading it once from memory and again from the core's
    /// cache, and its backward pass recomputes the activation's mask from the input instead of
    /// saving the output: a BatchNorm2d + ReLU forward and backward on `[1, 32, 256, 256]` takes
    /// 0.57–0.68× libtorch's time (2 threads). Results equal libtorch's to float32 rounding; the
    /// statistics are summed in double precision.
    ///
    /// - Parameters:
    ///   - input: a row-major float32 CPU tensor `[N, C, ...]` (``normActivationApplies(to:)``).
    ///   - weight, bias: `[C]` float32, or `nil`.
    ///   - eps: added to the variance.
    /// - Returns: the activations, shaped like `input`, and each channel's (or image's channel's)
    ///   mean and biased variance, `[C]` (or `[N·C]`), which are not differentiable.
    public static func normActivation(
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

    /// Whether ``normActivation(_:weight:bias:perImage:eps:negativeSlope:)`` takes `input`: a
    /// row-major float32 CPU tensor `[N, C, ...]` with values to normalise.
    public static func normActivationApplies(to input: Tensor) -> Bool {
        input.rank >= 2 && input.device.kind == .cpu && input.dtype == .float32 && input.isContiguous
            && input.count > 0
    }
}
