private extension ATen {
    static let batchNorm = ATenOperator("aten::batch_norm")
    static let instanceNorm = ATenOperator("aten::instance_norm")
    static let groupNorm = ATenOperator("aten::group_norm")
    static let layerNorm = ATenOperator("aten::layer_norm")
}

extension Functional {
    /// Batch normalisation of `[N, C, ...]` over every dimension but `C`.
    ///
    /// In training, normalises with the batch statistics and updates `runningMean`/`runningVar`
    /// in place (`running = (1 - momentum)·running + momentum·batch`, with the unbiased variance);
    /// in evaluation, normalises with the running statistics, which are then required.
    /// `weight` and `bias` are `[C]`.
    public static func batchNorm(
        _ input: Tensor, runningMean: Tensor?, runningVar: Tensor?, weight: Tensor? = nil, bias: Tensor? = nil,
        training: Bool = false, momentum: Double = 0.1, eps: Double = 1e-5
    ) -> Tensor {
        precondition(training || (runningMean != nil && runningVar != nil),
                     "batchNorm: evaluation mode needs runningMean and runningVar")
        return ATen.batchNorm(
            .tensor(input), .optionalTensor(weight), .optionalTensor(bias), .optionalTensor(runningMean),
            .optionalTensor(runningVar), .bool(training), .double(momentum), .double(eps), .bool(true))
    }

    /// Instance normalisation of `[N, C, ...]`: each sample and channel over its spatial dimensions.
    /// With `useInputStats` false, uses the running statistics instead; with it true and running
    /// statistics given, updates them (averaged over the batch) in place. `weight`/`bias` are `[C]`.
    ///
    /// Without running statistics this is group normalisation with one group per channel, the same
    /// statistics and formula: libtorch's `instance_norm` runs batch normalisation on a reshaped copy
    /// and returns a *view* of its result, so the in-place activation that usually follows
    /// (fastMRI's and MONAI's `LeakyReLU(inplace=True)`) makes autograd copy the whole gradient
    /// through `CopySlices` and `as_strided` in backward. `group_norm` returns a tensor of its own:
    /// norm + in-place LeakyReLU forward and backward take 3× less time on `[1, 18, 320, 320]`
    /// (PyTorch, 2 threads), with results equal to float32 rounding (largest difference 1e-6).
    /// A float32 CPU image batch in channels-last layout is normalised by the shim's own kernel
    /// (`channelsLastInstanceNorm`) and stays channels-last.
    public static func instanceNorm(
        _ input: Tensor, runningMean: Tensor? = nil, runningVar: Tensor? = nil, weight: Tensor? = nil,
        bias: Tensor? = nil, useInputStats: Bool = true, momentum: Double = 0.1, eps: Double = 1e-5
    ) -> Tensor {
        if useInputStats, runningMean == nil, runningVar == nil {
            guard input.isChannelsLastCPUImage else {
                return groupNorm(input, numGroups: input.size(1), weight: weight, bias: bias, eps: eps)
            }
            let normalized = channelsLastInstanceNorm(input, eps: eps)
            let affine = weight.map { normalized * $0.view([1, -1, 1, 1]) } ?? normalized
            return bias.map { affine + $0.view([1, -1, 1, 1]) } ?? affine
        }
        return ATen.instanceNorm(
            .tensor(input), .optionalTensor(weight), .optionalTensor(bias), .optionalTensor(runningMean),
            .optionalTensor(runningVar), .bool(useInputStats), .double(momentum), .double(eps), .bool(true))
    }

    /// Group normalisation of `[N, C, ...]`: channels in `numGroups` groups, each normalised over its
    /// channels and spatial dimensions per sample. `weight`/`bias` are `[C]`.
    public static func groupNorm(
        _ input: Tensor, numGroups: Int, weight: Tensor? = nil, bias: Tensor? = nil, eps: Double = 1e-5
    ) -> Tensor {
        ATen.groupNorm(.tensor(input), .int(numGroups), .optionalTensor(weight), .optionalTensor(bias),
                       .double(eps), .bool(true))
    }

    /// Layer normalisation over the trailing dimensions `normalizedShape`; `weight`/`bias` have that shape.
    public static func layerNorm(
        _ input: Tensor, normalizedShape: [Int], weight: Tensor? = nil, bias: Tensor? = nil, eps: Double = 1e-5
    ) -> Tensor {
        ATen.layerNorm(.tensor(input), .ints(normalizedShape), .optionalTensor(weight), .optionalTensor(bias),
                       .double(eps), .bool(true))
    }
}
