import Foundation

/// Polynomial decay to zero over `totalIters` epochs (`torch.optim.lr_scheduler.PolynomialLR`;
/// with the default `power` 0.9 it is nnU-Net's "poly" schedule):
/// `lr = initial · (1 − min(epoch, totalIters) / totalIters)^power`.
public struct PolynomialLR: LearningRateSchedule {
    /// The epoch at which the rate reaches zero.
    public var totalIters: Int
    /// The polynomial's power.
    public var power: Double

    /// A polynomial decay over `totalIters` epochs.
    public init(totalIters: Int, power: Double = 0.9) {
        precondition(totalIters > 0, "totalIters must be positive")
        self.totalIters = totalIters
        self.power = power
    }

    /// The learning rate after `epoch` epochs for a group that started at `initialLR`.
    public func lr(at epoch: Int, initialLR: Double) -> Double {
        initialLR * pow(1 - Double(min(epoch, totalIters)) / Double(totalIters), power)
    }
}
