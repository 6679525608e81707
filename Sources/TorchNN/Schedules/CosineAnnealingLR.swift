import Foundation

/// Cosine annealing from the initial rate to `etaMin` over `tMax` epochs
/// (`torch.optim.lr_scheduler.CosineAnnealingLR`, SGDR without restarts):
/// `lr = etaMin + (initial − etaMin)(1 + cos(π·epoch/tMax))/2`; past `tMax` the cosine continues.
public struct CosineAnnealingLR: LearningRateSchedule {
    /// The half-period in epochs.
    public var tMax: Int
    /// The minimum learning rate.
    public var etaMin: Double

    /// A cosine annealing over `tMax` epochs down to `etaMin`.
    public init(tMax: Int, etaMin: Double = 0) {
        precondition(tMax > 0, "tMax must be positive")
        self.tMax = tMax
        self.etaMin = etaMin
    }

    /// The learning rate after `epoch` epochs for a group that started at `initialLR`.
    public func lr(at epoch: Int, initialLR: Double) -> Double {
        cosineAnnealing(from: initialLR, to: etaMin, fraction: Double(epoch) / Double(tMax))
    }
}

/// Cosine annealing with warm restarts (`torch.optim.lr_scheduler.CosineAnnealingWarmRestarts`,
/// Loshchilov & Hutter, "SGDR"): the first cycle lasts `tZero` epochs, each next one `tMult` times longer.
public struct CosineAnnealingWarmRestarts: LearningRateSchedule {
    /// The first cycle's length in epochs.
    public var tZero: Int
    /// The growth factor of the cycle length.
    public var tMult: Int
    /// The minimum learning rate.
    public var etaMin: Double

    /// Warm restarts every `tZero`, `tZero·tMult`, ... epochs.
    public init(tZero: Int, tMult: Int = 1, etaMin: Double = 0) {
        precondition(tZero > 0 && tMult >= 1, "tZero must be positive and tMult at least 1")
        self.tZero = tZero
        self.tMult = tMult
        self.etaMin = etaMin
    }

    /// The learning rate after `epoch` epochs for a group that started at `initialLR`.
    public func lr(at epoch: Int, initialLR: Double) -> Double {
        var cycleLength = tZero
        var position = epoch
        while position >= cycleLength {
            position -= cycleLength
            cycleLength *= tMult
        }
        return cosineAnnealing(from: initialLR, to: etaMin, fraction: Double(position) / Double(cycleLength))
    }
}

/// A linear warm-up followed by cosine annealing, the common recipe for training from scratch:
/// for `epoch < warmupEpochs`, `lr = initial · (startFactor + (1 − startFactor)·epoch/warmupEpochs)`;
/// then a `CosineAnnealingLR` over the remaining `totalEpochs − warmupEpochs` epochs down to `etaMin`.
/// Equals PyTorch's `SequentialLR([LinearLR(start_factor, total_iters=warmup),
/// CosineAnnealingLR(T_max=total − warmup, eta_min)], milestones=[warmup])`.
public struct LinearWarmupCosine: LearningRateSchedule {
    /// The length of the warm-up in epochs.
    public var warmupEpochs: Int
    /// The total length (warm-up plus annealing) in epochs.
    public var totalEpochs: Int
    /// The fraction of the initial rate the warm-up starts from (PyTorch `LinearLR`'s default 1/3).
    public var startFactor: Double
    /// The minimum learning rate at the end of the annealing.
    public var etaMin: Double

    /// A warm-up over `warmupEpochs`, then cosine annealing until `totalEpochs`.
    public init(warmupEpochs: Int, totalEpochs: Int, startFactor: Double = 1.0 / 3, etaMin: Double = 0) {
        precondition(warmupEpochs >= 0 && totalEpochs > warmupEpochs, "need 0 ≤ warmupEpochs < totalEpochs")
        precondition(startFactor > 0 && startFactor <= 1, "startFactor must be in (0, 1]")
        self.warmupEpochs = warmupEpochs
        self.totalEpochs = totalEpochs
        self.startFactor = startFactor
        self.etaMin = etaMin
    }

    /// The learning rate after `epoch` epochs for a group that started at `initialLR`.
    public func lr(at epoch: Int, initialLR: Double) -> Double {
        guard epoch >= warmupEpochs else {
            return initialLR * (startFactor + (1 - startFactor) * Double(epoch) / Double(warmupEpochs))
        }
        return CosineAnnealingLR(tMax: totalEpochs - warmupEpochs, etaMin: etaMin)
            .lr(at: epoch - warmupEpochs, initialLR: initialLR)
    }
}

/// `end + (start − end)(1 + cos(π·fraction))/2`: from `start` at 0 to `end` at 1.
func cosineAnnealing(from start: Double, to end: Double, fraction: Double) -> Double {
    end + (start - end) * (1 + cos(Double.pi * fraction)) / 2
}
