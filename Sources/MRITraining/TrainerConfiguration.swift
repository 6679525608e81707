/// What a `Trainer` runs: how long, how it steps, what it validates and keeps.
public struct TrainerConfiguration: Sendable {
    /// Epochs to train (an epoch is one pass of the training batches).
    public var epochs: Int
    /// Validate after every `validateEvery` epochs (and always after the last).
    public var validateEvery: Int
    /// Micro-batches whose gradients are summed before one optimizer step.
    public var accumulationSteps: Int
    /// Clip the joint gradient 2-norm to this before each step (`nil`: no clipping).
    public var gradientClipNorm: Double?
    /// The validation metric that selects the best model and drives early stopping.
    public var monitor: MonitoredMetric?
    /// Stop after this many validations without improvement of `monitor` (`nil`: never).
    public var earlyStoppingPatience: Int?
    /// Whether the learning-rate schedule steps once per epoch or once per optimizer step.
    public var scheduleUnit: ScheduleUnit
    /// Where `last.pt` (every epoch) and `best.pt` (each improvement) go (`nil`: no checkpoints).
    public var checkpointDirectory: String?
    /// Compute the forward pass and loss under autocast in this dtype (`.bfloat16` or `.float16`;
    /// `nil`: float32), on the model's device. `.float16` also scales the loss (`GradScaler`).
    public var mixedPrecision: DType?
    /// Allow only deterministic algorithms while training (`torch.use_deterministic_algorithms(True)`),
    /// so that repeated runs give the same weights on every device; ops without one then fail.
    public var deterministic = false
    /// Also keep every epoch's checkpoint as `epoch_NNN.pt`, to pick one later (seed 004 saves a model per epoch).
    public var keepEpochCheckpoints = false

    /// A configuration; the defaults validate every epoch and step every batch.
    public init(
        epochs: Int, validateEvery: Int = 1, accumulationSteps: Int = 1, gradientClipNorm: Double? = nil,
        scheduleUnit: ScheduleUnit = .epoch, monitor: MonitoredMetric? = nil, earlyStoppingPatience: Int? = nil,
        checkpointDirectory: String? = nil
    ) {
        self.scheduleUnit = scheduleUnit
        self.epochs = epochs
        self.validateEvery = validateEvery
        self.accumulationSteps = accumulationSteps
        self.gradientClipNorm = gradientClipNorm
        self.monitor = monitor
        self.earlyStoppingPatience = earlyStoppingPatience
        self.checkpointDirectory = checkpointDirectory
    }

    /// Throws `TrainingError.configuration` naming the first field out of range.
    public func validate() throws {
        func require(_ condition: Bool, _ field: String, _ allowed: String) throws {
            if !condition { throw TrainingError.configuration(field: field, allowed: allowed) }
        }
        try require(epochs > 0, "epochs", "a positive integer, got \(epochs)")
        try require(validateEvery > 0, "validate_every", "a positive integer, got \(validateEvery)")
        try require(accumulationSteps > 0, "accumulation_steps", "a positive integer, got \(accumulationSteps)")
        if let mixedPrecision {
            try require(mixedPrecision == .bfloat16 || mixedPrecision == .float16, "mixed_precision",
                        "bfloat16 or float16, got \(mixedPrecision)")
        }
        if let gradientClipNorm {
            try require(gradientClipNorm > 0, "gradient_clip_norm", "a positive number, got \(gradientClipNorm)")
        }
        if let earlyStoppingPatience {
            try require(earlyStoppingPatience > 0, "early_stopping_patience",
                        "a positive integer, got \(earlyStoppingPatience)")
            try require(monitor != nil, "monitor", "a metric to watch when early stopping is on")
        }
    }
}

/// When a learning-rate schedule advances: per epoch (step, cosine, warm-up + cosine) or per
/// optimizer step (one-cycle, as PyTorch users step `OneCycleLR` after every batch).
public enum ScheduleUnit: String, Sendable, Codable { case epoch, step }

/// A validation metric to maximise (PSNR, SSIM, Dice) or minimise (NMSE, loss).
public struct MonitoredMetric: Sendable, Codable, Equatable {
    /// Whether larger or smaller values are better.
    public enum Goal: String, Sendable, Codable, CaseIterable { case maximize, minimize }

    /// The metric's name, as the validation closure reports it (e.g. `"ssim"`).
    public var name: String
    /// Which direction is better.
    public var goal: Goal

    /// Watches `name`, where `goal` says which direction is better.
    public init(_ name: String, _ goal: Goal) {
        self.name = name
        self.goal = goal
    }

    /// Whether `value` improves on `best` (any finite value improves on none).
    public func improves(_ value: Double, on best: Double?) -> Bool {
        guard value.isFinite else { return false }
        guard let best else { return true }
        return goal == .maximize ? value > best : value < best
    }
}
