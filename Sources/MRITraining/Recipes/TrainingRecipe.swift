/// The `training` section of a recipe: the optimizer, schedule and the trainer's settings.
///
/// ```yaml
/// training:
///   epochs: 50
///   optimizer: {name: adam, lr: 3.0e-4}
///   schedule: {name: step, step_size: 40, gamma: 0.1}
///   loss: ssim
///   monitor: {name: ssim, goal: maximize}
///   seed: 42
///   mixed_precision: bf16      # none (default), bf16, or fp16 (with loss scaling)
///   deterministic: true        # only deterministic algorithms (default false)
/// ```
public struct TrainingRecipe: Sendable {
    /// The optimizer.
    public var optimizer: OptimizerRecipe
    /// The learning-rate schedule.
    public var schedule: ScheduleRecipe
    /// The loss's name, checked by the task against the losses it offers.
    public var loss: String
    /// The trainer's settings (checkpoint directory filled in from the recipe's `output`).
    public var configuration: TrainerConfiguration
    /// The seed of weights, data order and augmentation.
    public var seed: UInt64

    /// Reads the section; `losses` are the task's loss names (the first is the default) and
    /// `defaultMonitor` the metric watched when the recipe names none.
    public init(_ section: RecipeSection, losses: [String], defaultMonitor: MonitoredMetric) throws {
        try section.requireKnownKeys([
            "epochs", "optimizer", "schedule", "loss", "validate_every", "accumulation_steps", "gradient_clip_norm",
            "monitor", "early_stopping_patience", "seed", "keep_epoch_checkpoints", "mixed_precision",
            "deterministic",
        ])
        guard let optimizerSection = try section.section("optimizer") else {
            throw section.error("optimizer", value: nil, allowed: "a mapping such as {name: adam, lr: 3.0e-4}")
        }
        optimizer = try OptimizerRecipe(optimizerSection)
        schedule = try section.section("schedule").map(ScheduleRecipe.init) ?? .constant
        loss = try section.string("loss", default: losses[0])
        guard losses.contains(loss) else {
            throw section.error("loss", value: loss, allowed: "one of " + losses.joined(separator: ", "))
        }
        var monitor = defaultMonitor
        if let monitorSection = try section.section("monitor") {
            try monitorSection.requireKnownKeys(["name", "goal"])
            monitor = MonitoredMetric(try monitorSection.string("name"), try monitorSection.choice("goal"))
        }
        configuration = TrainerConfiguration(
            epochs: try section.int("epochs", in: 1...1_000_000),
            validateEvery: try section.int("validate_every", default: 1, in: 1...1_000_000),
            accumulationSteps: try section.int("accumulation_steps", default: 1, in: 1...1_000_000),
            gradientClipNorm: try section.contains("gradient_clip_norm")
                ? section.double("gradient_clip_norm", in: 1e-12...1e12) : nil,
            scheduleUnit: schedule.unit, monitor: monitor,
            earlyStoppingPatience: try section.contains("early_stopping_patience")
                ? section.int("early_stopping_patience", in: 1...1_000_000) : nil)
        configuration.keepEpochCheckpoints = try section.bool("keep_epoch_checkpoints", default: false)
        configuration.deterministic = try section.bool("deterministic", default: false)
        switch try section.string("mixed_precision", default: "none") {
        case "none": configuration.mixedPrecision = nil
        case "bf16": configuration.mixedPrecision = .bfloat16
        case "fp16": configuration.mixedPrecision = .float16
        case let other: throw section.error("mixed_precision", value: other, allowed: "none, bf16 or fp16")
        }
        seed = UInt64(try section.int("seed", default: 0, in: 0...Int(Int32.max)))
    }
}
