import Foundation

/// Multiplies the learning rate by `gamma` every `stepSize` epochs (`torch.optim.lr_scheduler.StepLR`):
/// `lr = initial · gamma^⌊epoch / stepSize⌋`.
public struct StepLR: LearningRateSchedule {
    /// Epochs between decays.
    public var stepSize: Int
    /// The decay factor.
    public var gamma: Double

    /// A step decay by `gamma` every `stepSize` epochs.
    public init(stepSize: Int, gamma: Double = 0.1) {
        precondition(stepSize > 0, "stepSize must be positive")
        self.stepSize = stepSize
        self.gamma = gamma
    }

    /// The learning rate after `epoch` epochs for a group that started at `initialLR`.
    public func lr(at epoch: Int, initialLR: Double) -> Double {
        initialLR * pow(gamma, Double(epoch / stepSize))
    }
}

/// Multiplies the learning rate by `gamma` at each milestone epoch
/// (`torch.optim.lr_scheduler.MultiStepLR`): `lr = initial · gamma^(milestones ≤ epoch)`.
public struct MultiStepLR: LearningRateSchedule {
    /// The epochs at which the rate decays, ascending (a repeated milestone decays repeatedly).
    public var milestones: [Int]
    /// The decay factor.
    public var gamma: Double

    /// A decay by `gamma` at each of `milestones`.
    public init(milestones: [Int], gamma: Double = 0.1) {
        self.milestones = milestones.sorted()
        self.gamma = gamma
    }

    /// The learning rate after `epoch` epochs for a group that started at `initialLR`.
    public func lr(at epoch: Int, initialLR: Double) -> Double {
        initialLR * pow(gamma, Double(milestones.filter { $0 <= epoch }.count))
    }
}

/// Multiplies the learning rate by `gamma` every epoch (`torch.optim.lr_scheduler.ExponentialLR`):
/// `lr = initial · gamma^epoch`.
public struct ExponentialLR: LearningRateSchedule {
    /// The decay factor per epoch.
    public var gamma: Double

    /// An exponential decay by `gamma` per epoch.
    public init(gamma: Double) { self.gamma = gamma }

    /// The learning rate after `epoch` epochs for a group that started at `initialLR`.
    public func lr(at epoch: Int, initialLR: Double) -> Double { initialLR * pow(gamma, Double(epoch)) }
}
