import Foundation

/// The 1cycle policy (`torch.optim.lr_scheduler.OneCycleLR`, Smith & Topin, "Super-Convergence"):
/// the rate rises from `maxLR/divFactor` to `maxLR` over the first `pctStart` of `totalSteps`,
/// then anneals to `maxLR/(divFactor·finalDivFactor)`; `threePhase` comes back down to the start
/// rate before the final annealing. Stepped once per batch. The rates depend only on `maxLR`,
/// not on the optimizer's initial rate.
///
/// With `cycleMomentum` (the default, as in PyTorch) the momentum moves inversely to the rate,
/// from `maxMomentum` down to `baseMomentum` while the rate rises and back up while it falls
/// (staying at `maxMomentum` in the third phase); an `LRScheduler` sets it as each group's
/// `beta1` (Adam, AdamW) or `momentum` (SGD, RMSprop), and traps for an optimizer with neither.
/// SGD built without momentum has momentum 0, which is cycled too, as in PyTorch.
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
    /// Whether to move the optimizer's momentum (or beta1) inversely to the rate.
    public var cycleMomentum: Bool
    /// The momentum at the peak rate.
    public var baseMomentum: Double
    /// The momentum at the start and end of the cycle.
    public var maxMomentum: Double

    /// A one-cycle schedule peaking at `maxLR` over `totalSteps` steps (PyTorch's defaults).
    public init(
        maxLR: Double, totalSteps: Int, pctStart: Double = 0.3, annealStrategy: AnnealStrategy = .cos,
        cycleMomentum: Bool = true, baseMomentum: Double = 0.85, maxMomentum: Double = 0.95,
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
        self.cycleMomentum = cycleMomentum
        self.baseMomentum = baseMomentum
        self.maxMomentum = maxMomentum
    }

    /// A value moving from `start` to `target` over a phase.
    private typealias Ramp = (start: Double, target: Double)

    /// A phase of the cycle: its last step and how the rate and the momentum move within it.
    private struct Phase {
        let end: Double
        let lr: Ramp
        let momentum: Ramp
    }

    /// The phases, as PyTorch lays them out.
    private var phases: [Phase] {
        let initial = maxLR / divFactor, final = initial / finalDivFactor
        let rise = pctStart * Double(totalSteps) - 1
        let down: Ramp = (maxMomentum, baseMomentum), up: Ramp = (baseMomentum, maxMomentum)
        if threePhase {
            return [Phase(end: rise, lr: (initial, maxLR), momentum: down),
                    Phase(end: 2 * pctStart * Double(totalSteps) - 2, lr: (maxLR, initial), momentum: up),
                    Phase(end: Double(totalSteps) - 1, lr: (initial, final), momentum: (maxMomentum, maxMomentum))]
        }
        return [Phase(end: rise, lr: (initial, maxLR), momentum: down),
                Phase(end: Double(totalSteps) - 1, lr: (maxLR, final), momentum: up)]
    }

    /// The value of the ramp `ramp` picks out of the phase holding step `epoch`.
    private func value(at epoch: Int, _ ramp: (Phase) -> Ramp) -> Double {
        precondition(epoch <= totalSteps, "OneCycleLR stepped \(epoch) times, beyond totalSteps \(totalSteps)")
        let step = Double(epoch)
        var phaseStart = 0.0
        let phases = phases
        for (index, phase) in phases.enumerated() {
            if step <= phase.end || index == phases.count - 1 {
                let fraction = (step - phaseStart) / (phase.end - phaseStart)
                let (start, target) = ramp(phase)
                switch annealStrategy {
                case .cos: return cosineAnnealing(from: start, to: target, fraction: fraction)
                case .linear: return (target - start) * fraction + start
                }
            }
            phaseStart = phase.end
        }
        preconditionFailure("unreachable: the last phase always matches")
    }

    /// The rate at step `epoch` (`initialLR` is not used: the cycle is defined by `maxLR`).
    public func lr(at epoch: Int, initialLR: Double) -> Double { value(at: epoch, \.lr) }

    /// The momentum at step `epoch`, or `nil` without `cycleMomentum`.
    public func momentum(at epoch: Int) -> Double? { cycleMomentum ? value(at: epoch, \.momentum) : nil }
}
