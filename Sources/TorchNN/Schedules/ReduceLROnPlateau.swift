/// Reduces the learning rates when a metric stops improving (`torch.optim.lr_scheduler.ReduceLROnPlateau`):
/// after more than `patience` epochs without improvement, each group's rate is multiplied by
/// `factor` (not below `minLR`), then `cooldown` epochs pass before counting bad epochs again.
///
/// ```swift
/// let plateau = ReduceLROnPlateau(optimizer, factor: 0.5, patience: 5)
/// for _ in 0..<epochs { train(); plateau.step(metric: validate()) }
/// ```
public final class ReduceLROnPlateau {
    /// Whether a lower or a higher metric is better.
    public enum Mode: Sendable {
        /// Lower is better (a loss).
        case min
        /// Higher is better (an accuracy, a Dice score).
        case max
    }

    /// How `threshold` measures a significant improvement.
    public enum ThresholdMode: Sendable {
        /// Relative: better than `best·(1 ∓ threshold)`.
        case rel
        /// Absolute: better than `best ∓ threshold`.
        case abs
    }

    /// The optimizer whose rates are reduced.
    public let optimizer: any Optimizer
    /// Whether lower or higher is better.
    public let mode: Mode
    /// The reduction factor.
    public let factor: Double
    /// The number of epochs without improvement tolerated before a reduction.
    public let patience: Int
    /// The minimum significant improvement.
    public let threshold: Double
    /// How `threshold` is applied.
    public let thresholdMode: ThresholdMode
    /// Epochs to wait after a reduction before counting bad epochs again.
    public let cooldown: Int
    /// The lower bound of each group's rate.
    public let minLR: Double
    /// Reductions smaller than this are skipped.
    public let eps: Double

    /// The best metric so far.
    public private(set) var best: Double
    /// Epochs since the last improvement.
    public private(set) var numBadEpochs = 0
    /// Epochs of cooldown left.
    public private(set) var cooldownCounter = 0
    /// How many times `step(metric:)` ran.
    public private(set) var lastEpoch = 0

    /// Watches a metric for `optimizer` (PyTorch's defaults).
    public init(
        _ optimizer: any Optimizer, mode: Mode = .min, factor: Double = 0.1, patience: Int = 10,
        threshold: Double = 1e-4, thresholdMode: ThresholdMode = .rel, cooldown: Int = 0, minLR: Double = 0,
        eps: Double = 1e-8
    ) {
        precondition(factor < 1, "factor must be below 1")
        self.optimizer = optimizer
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        self.cooldown = cooldown
        self.minLR = minLR
        self.eps = eps
        self.best = mode == .min ? .infinity : -.infinity
    }

    /// Records this epoch's `metric` and reduces the rates if it has plateaued.
    public func step(metric: Double) {
        lastEpoch += 1
        if isBetter(metric) {
            best = metric
            numBadEpochs = 0
        } else {
            numBadEpochs += 1
        }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            numBadEpochs = 0
        }
        if numBadEpochs > patience {
            reduceRates()
            cooldownCounter = cooldown
            numBadEpochs = 0
        }
    }

    private func isBetter(_ metric: Double) -> Bool {
        switch (mode, thresholdMode) {
        case (.min, .rel): metric < best * (1 - threshold)
        case (.min, .abs): metric < best - threshold
        case (.max, .rel): metric > best * (threshold + 1)
        case (.max, .abs): metric > best + threshold
        }
    }

    private func reduceRates() {
        for index in optimizer.paramGroups.indices {
            let old = optimizer.paramGroups[index].lr
            let new = Swift.max(old * factor, minLR)
            if old - new > eps { optimizer.paramGroups[index].lr = new }
        }
    }

    /// `best`, `num_bad_epochs`, `cooldown_counter` and `last_epoch` as 0-d float64 tensors
    /// (the rates themselves live in the optimizer's state dict).
    public func stateDict() -> StateDict {
        ["best": scalarTensor(best), "num_bad_epochs": scalarTensor(Double(numBadEpochs)),
         "cooldown_counter": scalarTensor(Double(cooldownCounter)), "last_epoch": scalarTensor(Double(lastEpoch))]
    }

    /// Restores what `stateDict()` returned.
    public func loadStateDict(_ stateDict: StateDict) throws {
        func count(_ key: String) throws -> Int { try countValue(stateDict.required(key), key: key) }
        let restored = (
            try scalarValue(stateDict.required("best"), key: "best"), try count("num_bad_epochs"),
            try count("cooldown_counter"), try count("last_epoch")
        )
        (best, numBadEpochs, cooldownCounter, lastEpoch) = restored
    }
}
