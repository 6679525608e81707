import Foundation

/// The 1cycle policy (`torch.optim.lr_scheduler.OneCycleLR`, Smith & Topin, "Super-Convergence"):
/// the rate rises from `maxLR/divFactor` to `maxLR` over the first `pctStart` of `totalSteps`,
/// then anneals to `maxLR/(divFactor·finalDivFactor)`; `threePhase` comes back down to the start
/// rate before the final annealing. Stepped once per batch. The rates depend only on `maxLR`,
/// not on the optimizer's initial rate. PyTorch's momentum cycling is not done here.
public struct OneCycleLR: LearningRateSchedule {
    /// How the rate moves between phase ends.
    public enum AnnealStrategy: Sendable {
        /// Half a cosine between the phase's start and end rates.
        case cos
        /// A straight line.
        case linear
    }

    /// The peak learning rate.
    public var maxLR: Double
    /// The number of steps in the cycle; stepping beyond it is an error, as in PyTorch.
    public var totalSteps: Int
    /// The fraction of the cycle spent rising.
    public var pctStart: Double
    /// How the rate moves within a phase.
    public var annealStrategy: AnnealStrategy
    /// `maxLR / divFactor` is the starting rate.
    public var divFactor: Double
    /// The starting rate divided by `finalDivFactor` is the final rate.
    public var finalDivFactor: Double
    /// Whether to come back to the starting rate before annealing to the final rate.
    public var threePhase: Bool

    /// A one-cycle schedule peaking at `maxLR` over `totalSteps` steps (PyTorch's defaults).
    public init(
        maxLR: Double, totalSteps: Int, pctStart: Double = 0.3, annealStrategy: AnnealStrategy = .cos,
        divFactor: Double = 25, finalDivFactor: Double = 1e4, threePhase: Bool = false
    ) {
        precondition(totalSteps > 0 && pctStart > 0 && pctStart < 1, "need totalSteps > 0 and 0 < pctStart < 1")
        self.maxLR = maxLR
        self.totalSteps = totalSteps
        self.pctStart = pctStart
        self.annealStrategy = annealStrategy
        self.divFactor = divFactor
        self.finalDivFactor = finalDivFactor
        self.threePhase = threePhase
    }

    /// The phases as (last step, start rate, end rate), as PyTorch lays them out.
    private var phases: [(end: Double, start: Double, target: Double)] {
        let initial = maxLR / divFactor, final = initial / finalDivFactor
        let rise = pctStart * Double(totalSteps) - 1
        if threePhase {
            return [(rise, initial, maxLR), (2 * pctStart * Double(totalSteps) - 2, maxLR, initial),
                    (Double(totalSteps) - 1, initial, final)]
        }
        return [(rise, initial, maxLR), (Double(totalSteps) - 1, maxLR, final)]
    }

    /// The rate at step `epoch` (`initialLR` is not used: the cycle is defined by `maxLR`).
    public func lr(at epoch: Int, initialLR: Double) -> Double {
        precondition(epoch <= totalSteps, "OneCycleLR stepped \(epoch) times, beyond totalSteps \(totalSteps)")
        let step = Double(epoch)
        var phaseStart = 0.0
        let phases = phases
        for (index, phase) in phases.enumerated() {
            if step <= phase.end || index == phases.count - 1 {
                let fraction = (step - phaseStart) / (phase.end - phaseStart)
                switch annealStrategy {
                case .cos: return cosineAnnealing(from: phase.start, to: phase.target, fraction: fraction)
                case .linear: return (phase.target - phase.start) * fraction + phase.start
                }
            }
            phaseStart = phase.end
        }
        preconditionFailure("unreachable: the last phase always matches")
    }
}
