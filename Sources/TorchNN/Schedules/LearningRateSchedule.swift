/// A learning rate as a function of the epoch (or step) count, like the closed forms of
/// PyTorch's `torch.optim.lr_scheduler` classes. Use one on its own (`lr(at:initialLR:)`) or
/// drive an optimizer's groups with an `LRScheduler`.
public protocol LearningRateSchedule: Sendable {
    /// The learning rate after `epoch` scheduler steps (0 at the start) for a group whose
    /// learning rate was `initialLR` when the schedule was attached.
    func lr(at epoch: Int, initialLR: Double) -> Double

    /// The momentum after `epoch` scheduler steps — set as each group's `momentum` (SGD, RMSprop)
    /// or `beta1` (Adam, AdamW) — or `nil` where the schedule leaves momentum alone (the default).
    func momentum(at epoch: Int) -> Double?
}

extension LearningRateSchedule {
    /// `nil`: the schedule leaves momentum alone.
    public func momentum(at epoch: Int) -> Double? { nil }
}

/// Drives an optimizer's group learning rates with a schedule (PyTorch's `LRScheduler` base):
/// attaching sets each group's `initialLR` (if unset) and its `lr` to the schedule's epoch-0 value;
/// each `step()` advances one epoch. A schedule that cycles momentum (`OneCycleLR`) also sets each
/// group's `beta1` where the optimizer has one (Adam, AdamW), otherwise its `momentum` (SGD, RMSprop),
/// like PyTorch's `cycle_momentum`.
///
/// ```swift
/// let scheduler = LRScheduler(optimizer, schedule: CosineAnnealingLR(tMax: 100))
/// for _ in 0..<100 { train(); scheduler.step() }
/// ```
public final class LRScheduler {
    /// The optimizer whose groups this scheduler sets.
    public let optimizer: any Optimizer
    /// The schedule.
    public let schedule: any LearningRateSchedule
    /// How many times `step()` ran (PyTorch's `last_epoch`).
    public private(set) var lastEpoch = 0

    /// Attaches `schedule` to `optimizer` and sets the groups' epoch-0 learning rates (and momenta).
    /// Traps if the schedule cycles momentum and a group has neither `momentum` nor `beta1`, as
    /// PyTorch raises a `ValueError`.
    public init(_ optimizer: any Optimizer, schedule: any LearningRateSchedule) {
        self.optimizer = optimizer
        self.schedule = schedule
        if schedule.momentum(at: 0) != nil {
            for (index, group) in optimizer.paramGroups.enumerated() {
                precondition(group.momentum != nil || group.beta1 != nil, """
                    \(type(of: schedule)) cycles momentum, but parameter group \(index) of \(type(of: optimizer)) \
                    has neither momentum nor beta1: use an optimizer with momentum or betas (SGD, RMSprop, Adam, \
                    AdamW) or turn cycling off (cycleMomentum: false)
                    """)
            }
        }
        for index in optimizer.paramGroups.indices where optimizer.paramGroups[index].initialLR == nil {
            optimizer.paramGroups[index].initialLR = optimizer.paramGroups[index].lr
        }
        apply()
    }

    /// The learning rates the scheduler last set, one per group (PyTorch's `get_last_lr()`).
    public var lastLRs: [Double] { optimizer.paramGroups.map(\.lr) }

    /// Advances one epoch and sets the groups' learning rates.
    public func step() {
        lastEpoch += 1
        apply()
    }

    private func apply() {
        for index in optimizer.paramGroups.indices {
            let group = optimizer.paramGroups[index]
            optimizer.paramGroups[index].lr = schedule.lr(at: lastEpoch, initialLR: group.initialLR ?? group.lr)
            guard let momentum = schedule.momentum(at: lastEpoch) else { continue }
            // PyTorch cycles `betas[0]` when the optimizer has betas, else `momentum`.
            if group.beta1 != nil {
                optimizer.paramGroups[index].beta1 = momentum
            } else {
                optimizer.paramGroups[index].momentum = momentum
            }
        }
    }

    /// `last_epoch` as a 0-d float64 tensor (the initial rates live in the optimizer's state dict).
    public func stateDict() -> StateDict { ["last_epoch": scalarTensor(Double(lastEpoch))] }

    /// Restores `last_epoch` and re-applies the schedule's rates for it.
    public func loadStateDict(_ stateDict: StateDict) throws {
        lastEpoch = try countValue(stateDict.required("last_epoch"), key: "last_epoch")
        apply()
    }
}
