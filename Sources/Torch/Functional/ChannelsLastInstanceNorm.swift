import CTorch

extension Functional {
    /// Instance normalisation (no affine, no running statistics) of a float32 CPU `input`
    /// `[N, C, H, W]` stored channels-last, then a leaky ReLU (`negativeSlope` 1: none), by the
    /// shim's own kernel: libtorch's group- and batch-norm kernels for that layout vectorise along
    /// the channels and take 5–7× longer than its NCHW kernels when there are 18–36 of them. The
    /// output stays channels-last; the statistics and gradient are those of `instanceNorm`
    /// (biased variance), summed in double precision.
    static func channelsLastInstanceNorm(_ input: Tensor, eps: Double, negativeSlope: Double = 1) -> Tensor {
        CustomFunction.apply(inputs: [input]) { inputs, context in
            var (output, mean, inverseStd): (mt_tensor?, mt_tensor?, mt_tensor?)
            check(mt_channels_last_instance_norm(inputs[0].handle, eps, negativeSlope, &output, &mean, &inverseStd))
            context.saveForBackward([inputs[0], Tensor.wrapping(mean), Tensor.wrapping(inverseStd)])
            return [Tensor.wrapping(output)]
        } backward: { gradients, context in
            let saved = context.savedTensors
            var inputGradient: mt_tensor?
            check(mt_channels_last_instance_norm_backward(
                gradients[0].handle, saved[0].handle, saved[1].handle, saved[2].handle, negativeSlope, &inputGradient))
            return [Tensor.wrapping(inputGradient)]
        }[0]
    }
}

extension Tensor {
    /// Whether this is a float32 CPU image batch `[N, C, H, W]` stored channels-last (and not
    /// also row-major): the tensors the shim's channels-last kernels take.
    public var isChannelsLastCPUImage: Bool {
        rank == 4 && device.kind == .cpu && dtype == .float32 && !isContiguous && isContiguous(memoryFormat: .channelsLast)
    }
}
