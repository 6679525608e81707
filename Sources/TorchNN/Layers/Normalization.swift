/// The state shared by batch and instance normalisation (`_NormBase`): an optional affine
/// `weight` (ones) and `bias` (zeros), and optional running statistics (`running_mean` zeros,
/// `running_var` ones, `num_batches_tracked` 0).
public class RunningStatisticsNorm: Module {
    /// `[numFeatures]` scale, or `nil` when not affine.
    @Parameter public var weight: Tensor?
    /// `[numFeatures]` shift, or `nil` when not affine.
    @Parameter public var bias: Tensor?
    /// `[numFeatures]` running mean, or `nil` when not tracking running statistics.
    @Buffer public var runningMean: Tensor?
    /// `[numFeatures]` running (unbiased) variance, or `nil` when not tracking running statistics.
    @Buffer public var runningVar: Tensor?
    /// The number of training batches seen (`int64` scalar), or `nil` when not tracking.
    @Buffer public var numBatchesTracked: Tensor?

    /// The number of channels `C` of `[N, C, ...]`.
    public let numFeatures: Int
    /// Added to the variance for numerical stability.
    public let eps: Double
    /// The weight of the newest batch in the running statistics; `nil` for a cumulative average.
    public let momentum: Double?
    /// Whether the layer has `weight` and `bias`.
    public let affine: Bool
    /// Whether the layer keeps running statistics.
    public let trackRunningStats: Bool

    init(
        numFeatures: Int, eps: Double, momentum: Double?, affine: Bool, trackRunningStats: Bool, dtype: DType?,
        device: Device?
    ) {
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.trackRunningStats = trackRunningStats
        weight = affine ? Tensor.ones([numFeatures], dtype: dtype, device: device) : nil
        bias = affine ? Tensor.zeros([numFeatures], dtype: dtype, device: device) : nil
        runningMean = trackRunningStats ? Tensor.zeros([numFeatures], dtype: dtype, device: device) : nil
        runningVar = trackRunningStats ? Tensor.ones([numFeatures], dtype: dtype, device: device) : nil
        numBatchesTracked = trackRunningStats ? Tensor.zeros([], dtype: .int64, device: device) : nil
    }

    /// Puts the running statistics back to their initial values (`reset_running_stats`).
    public func resetRunningStats() {
        guard let runningMean, let runningVar, let numBatchesTracked else { return }
        Init.zeros_(runningMean)
        Init.ones_(runningVar)
        Init.zeros_(numBatchesTracked)
    }
}

/// Batch normalisation (`nn.BatchNorm1d/2d/3d`): each channel normalised with the batch's
/// statistics in training (updating the running ones) and with the running ones in evaluation.
///
/// The running statistics update as `running = (1 - momentum)·running + momentum·batch`, or as
/// the cumulative average `1/numBatchesTracked` when `momentum` is `nil`.
public class BatchNorm: RunningStatisticsNorm, UnaryLayer {
    /// The input ranks the layer accepts, which each concrete layer (`BatchNorm2d`, ...) names.
    class var inputRanks: [Int] { preconditionFailure("BatchNorm is abstract: use BatchNorm1d, 2d or 3d") }

    /// A layer for `numFeatures` channels with PyTorch's defaults.
    public init(
        _ numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true,
        trackRunningStats: Bool = true, dtype: DType? = nil, device: Device? = nil
    ) {
        super.init(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine,
                   trackRunningStats: trackRunningStats, dtype: dtype, device: device)
    }

    /// The normalised input, shaped like it.
    public func forward(_ input: Tensor) -> Tensor {
        let ranks = Self.inputRanks
        precondition(ranks.contains(input.rank),
                     "expected \(ranks.map { "\($0)D" }.joined(separator: " or ")) input (got \(input.rank)D input)")
        let factor = countBatch()
        let useRunning = !isTraining || trackRunningStats
        return Functional.batchNorm(
            input, runningMean: useRunning ? runningMean : nil, runningVar: useRunning ? runningVar : nil,
            weight: weight, bias: bias, training: usesBatchStatistics, momentum: factor, eps: eps)
    }

    /// Whether the layer normalises with the batch's statistics rather than the running ones.
    var usesBatchStatistics: Bool { isTraining || (runningMean == nil && runningVar == nil) }

    /// Counts a training batch in `numBatchesTracked` (when tracking running statistics) and
    /// returns the weight of its statistics in the running ones.
    func countBatch() -> Double {
        var factor = momentum ?? 0
        if isTraining, trackRunningStats, let numBatchesTracked {
            withoutGradient { _ = numBatchesTracked.add_(1) }
            if momentum == nil { factor = 1 / Double(numBatchesTracked.item(Int64.self)) }
        }
        return factor
    }
}

/// Batch normalisation of `[N, C]` or `[N, C, L]` (`nn.BatchNorm1d`).
public final class BatchNorm1d: BatchNorm {
    override class var inputRanks: [Int] { [2, 3] }
}

/// Batch normalisation of `[N, C, H, W]` (`nn.BatchNorm2d`).
public final class BatchNorm2d: BatchNorm {
    override class var inputRanks: [Int] { [4] }
}

/// Batch normalisation of `[N, C, D, H, W]` (`nn.BatchNorm3d`).
public final class BatchNorm3d: BatchNorm {
    override class var inputRanks: [Int] { [5] }
}

/// Instance normalisation (`nn.InstanceNorm2d/3d`): each sample's channel over its spatial
/// dimensions. PyTorch's defaults: no affine parameters, no running statistics; with
/// `trackRunningStats`, evaluation uses the running statistics.
public class InstanceNorm: RunningStatisticsNorm, UnaryLayer {
    /// The input rank the layer accepts, which each concrete layer (`InstanceNorm2d`, ...) names.
    class var inputRank: Int { preconditionFailure("InstanceNorm is abstract: use InstanceNorm2d or 3d") }

    /// A layer for `numFeatures` channels with PyTorch's defaults (`affine` and `trackRunningStats` false).
    public init(
        _ numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = false,
        trackRunningStats: Bool = false, dtype: DType? = nil, device: Device? = nil
    ) {
        super.init(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine,
                   trackRunningStats: trackRunningStats, dtype: dtype, device: device)
    }

    /// The normalised input, shaped like it (see `Functional.instanceNorm` for the path taken
    /// without running statistics).
    public func forward(_ input: Tensor) -> Tensor {
        let rank = Self.inputRank
        precondition(input.rank == rank, "expected \(rank)D input (got \(input.rank)D input)")
        precondition(!affine || input.size(1) == numFeatures,
                     "expected input's size at dim=1 to match num_features (\(numFeatures)), but got: \(input.size(1)).")
        return Functional.instanceNorm(
            input, runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias,
            useInputStats: isTraining || !trackRunningStats, momentum: momentum ?? 0, eps: eps)
    }
}

/// Instance normalisation of `[N, C, H, W]` (`nn.InstanceNorm2d`).
public final class InstanceNorm2d: InstanceNorm {
    override class var inputRank: Int { 4 }
}

/// Instance normalisation of `[N, C, D, H, W]` (`nn.InstanceNorm3d`).
public final class InstanceNorm3d: InstanceNorm {
    override class var inputRank: Int { 5 }
}

/// Group normalisation (`nn.GroupNorm`): the channels of `[N, C, ...]` in `numGroups` groups,
/// each normalised per sample; affine `weight` (ones) and `bias` (zeros) per channel.
public final class GroupNorm: Module, UnaryLayer {
    /// `[numChannels]` scale, or `nil` when not affine.
    @Parameter public var weight: Tensor?
    /// `[numChannels]` shift, or `nil` when not affine.
    @Parameter public var bias: Tensor?
    /// The number of groups; divides `numChannels`.
    public let numGroups: Int
    /// The number of channels `C`.
    public let numChannels: Int
    /// Added to the variance for numerical stability.
    public let eps: Double

    /// A layer with PyTorch's defaults.
    public init(
        _ numGroups: Int, _ numChannels: Int, eps: Double = 1e-5, affine: Bool = true, dtype: DType? = nil,
        device: Device? = nil
    ) {
        precondition(numChannels % numGroups == 0, "num_channels must be divisible by num_groups")
        self.numGroups = numGroups
        self.numChannels = numChannels
        self.eps = eps
        weight = affine ? Tensor.ones([numChannels], dtype: dtype, device: device) : nil
        bias = affine ? Tensor.zeros([numChannels], dtype: dtype, device: device) : nil
    }

    /// The normalised input, shaped like it.
    public func forward(_ input: Tensor) -> Tensor {
        Functional.groupNorm(input, numGroups: numGroups, weight: weight, bias: bias, eps: eps)
    }
}

/// Layer normalisation (`nn.LayerNorm`) over the trailing dimensions `normalizedShape`, with
/// elementwise affine `weight` (ones) and `bias` (zeros) of that shape.
public final class LayerNorm: Module, UnaryLayer {
    /// `normalizedShape` scale, or `nil` without elementwise affine.
    @Parameter public var weight: Tensor?
    /// `normalizedShape` shift, or `nil` without it.
    @Parameter public var bias: Tensor?
    /// The trailing shape normalised over.
    public let normalizedShape: [Int]
    /// Added to the variance for numerical stability.
    public let eps: Double

    /// A layer with PyTorch's defaults.
    public init(
        _ normalizedShape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true,
        dtype: DType? = nil, device: Device? = nil
    ) {
        self.normalizedShape = normalizedShape
        self.eps = eps
        weight = elementwiseAffine ? Tensor.ones(normalizedShape, dtype: dtype, device: device) : nil
        self.bias = elementwiseAffine && bias ? Tensor.zeros(normalizedShape, dtype: dtype, device: device) : nil
    }

    /// The normalised input, shaped like it.
    public func forward(_ input: Tensor) -> Tensor {
        Functional.layerNorm(input, normalizedShape: normalizedShape, weight: weight, bias: bias, eps: eps)
    }
}
