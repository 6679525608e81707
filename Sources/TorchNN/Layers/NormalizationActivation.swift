import Torch

/// A normalisation layer and the `ReLU` or `LeakyReLU` right after it in a ``Sequential`` or
/// ``NamedSequential``, run as one fused operation on float32 CPU tensors: `BatchNorm` with the
/// batch's statistics (its running statistics and `numBatchesTracked` updated as by the layer) on
/// row-major ones (``Functional/batchNormActivation(_:weight:bias:eps:negativeSlope:)``), and
/// `InstanceNorm` without running statistics on those and, without affine parameters, on
/// channels-last images (``Functional/instanceNormActivation(_:weight:bias:eps:negativeSlope:)``).
///
/// BatchNorm2d + ReLU forward and backward take 0.5–0.7× libtorch's time on the maps of Buda et
/// al.'s 2-D U-Net (32–512 channels, 256² to 16²), which saved 10–20 ms of its 660–680 ms
/// training step on `[1, 3, 256, 256]` (2 threads). On channels-last images, as in VarNet's
/// U-Nets, InstanceNorm2d + LeakyReLU run without the activation's own passes: a VarNet(12)
/// training step on `[1, 1, 320, 320]` took 5.64 s against 5.95 s (medians of 15 alternated
/// steps, faster in 24 of 29 neighbouring pairs). Row-major InstanceNorm2d + LeakyReLU take
/// 0.8–1.0× the time of libtorch's group norm and activation: no measurable change in fastMRI's
/// U-Net on a 1-channel image.
///
/// Elsewhere (other devices and types, checkpointed layers, autocast, forward hooks that see every
/// layer's output) the two layers run one after the other.
enum NormalizationActivation {
    /// `layers` applied to `input` in order, each normalisation + activation pair fused where it can be.
    static func apply(_ layers: some Collection<any UnaryLayer>, to input: Tensor) -> Tensor {
        var output = input
        var index = layers.startIndex
        while index != layers.endIndex {
            let next = layers.index(after: index)
            if next != layers.endIndex, let fused = fusedOutput(layers[index], layers[next], output) {
                output = fused
                index = layers.index(after: next)
            } else {
                output = layers[index](output)
                index = next
            }
        }
        return output
    }

    /// `activation(norm(input))` by the fused kernel, or `nil` where it does not apply.
    static func fusedOutput(_ norm: any UnaryLayer, _ activation: any UnaryLayer, _ input: Tensor) -> Tensor? {
        guard input.rank >= 2, let norm = norm as? RunningStatisticsNorm,
            let negativeSlope = negativeSlope(of: activation),
            !norm.isCheckpointed, !activation.isCheckpointed, ForwardHookScope.current == nil,
            !isAutocastEnabled(device: .cpu),
            [norm.weight, norm.bias, norm.runningMean, norm.runningVar].allSatisfy({ $0.map(isChannelVector) ?? true }),
            norm.weight == nil || input.size(1) == norm.numFeatures
        else { return nil }
        switch norm {
        case let batchNorm as BatchNorm:
            return batchNormActivation(batchNorm, input, negativeSlope: negativeSlope)
        case let instanceNorm as InstanceNorm:
            // With running statistics, libtorch's path averages them over the batch.
            guard input.rank == type(of: instanceNorm).inputRank, instanceNorm.runningMean == nil,
                instanceNorm.runningVar == nil,
                Functional.normActivationApplies(to: input) || !norm.affine && input.isChannelsLastCPUImage
            else { return nil }
            return Functional.instanceNormActivation(
                input, weight: norm.weight, bias: norm.bias, eps: norm.eps, negativeSlope: negativeSlope)
        default:
            return nil
        }
    }

    /// The slope for negative inputs of a ReLU (0) or leaky ReLU, else `nil`.
    private static func negativeSlope(of activation: any UnaryLayer) -> Double? {
        switch activation {
        case is ReLU: 0
        case let leaky as LeakyReLU: leaky.negativeSlope
        default: nil
        }
    }

    /// Whether `tensor` is a float32 CPU vector, as the kernel takes affine parameters and
    /// running statistics.
    private static func isChannelVector(_ tensor: Tensor) -> Bool {
        tensor.rank == 1 && tensor.dtype == .float32 && tensor.device.kind == .cpu && tensor.isContiguous
    }

    /// `BatchNorm` with the batch's statistics, then the activation, updating the running
    /// statistics as `Functional.batchNorm` does (the unbiased variance); `nil` where libtorch's
    /// path should run and report the problem (a wrong rank or channel count, one value per channel).
    private static func batchNormActivation(_ norm: BatchNorm, _ input: Tensor, negativeSlope: Double) -> Tensor? {
        guard Functional.normActivationApplies(to: input), norm.usesBatchStatistics,
            type(of: norm).inputRanks.contains(input.rank), input.count > input.size(1),
            norm.runningMean == nil || input.size(1) == norm.numFeatures
        else { return nil }
        let values = input.count / input.size(1)
        let factor = norm.countBatch()
        let (output, mean, variance) = Functional.batchNormActivation(
            input, weight: norm.weight, bias: norm.bias, eps: norm.eps, negativeSlope: negativeSlope)
        if norm.isTraining, norm.trackRunningStats, let runningMean = norm.runningMean,
            let runningVar = norm.runningVar
        {
            withoutGradient {
                _ = runningMean.mul_(1 - factor).add_(mean * factor)
                _ = runningVar.mul_(1 - factor).add_(variance * (factor * Double(values) / Double(values - 1)))
            }
        }
        return output
    }
}
