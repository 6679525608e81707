/// The `optimizer` section of a recipe: which optimizer, with PyTorch's names and defaults.
///
/// ```yaml
/// optimizer: {name: adam, lr: 3.0e-4, weight_decay: 0, betas: [0.9, 0.999]}
/// optimizer: {name: sgd, lr: 0.1, momentum: 0.9, nesterov: false}
/// ```
public struct OptimizerRecipe: Sendable, Equatable {
    /// The optimizers a recipe may name.
    public enum Name: String, CaseIterable, Sendable { case adam, adamw, sgd, rmsprop }

    /// Which optimizer.
    public var name: Name
    /// The learning rate.
    public var lr: Double
    /// L2 penalty (Adam, SGD, RMSprop) or decoupled decay (AdamW).
    public var weightDecay: Double
    /// SGD's and RMSprop's momentum.
    public var momentum: Double
    /// SGD's Nesterov momentum.
    public var nesterov: Bool
    /// Adam's and AdamW's running-average coefficients.
    public var betas: (Double, Double)

    /// Reads the section; throws `RecipeError` naming the key for a bad value.
    public init(_ section: RecipeSection) throws {
        try section.requireKnownKeys(["name", "lr", "weight_decay", "momentum", "nesterov", "betas"])
        name = try section.choice("name")
        lr = try section.double("lr", in: 0...10)
        weightDecay = try section.double("weight_decay", default: name == .adamw ? 1e-2 : 0, in: 0...10)
        momentum = try section.double("momentum", default: 0, in: 0...1)
        nesterov = try section.bool("nesterov", default: false)
        let betas = try section.doubles("betas", default: [0.9, 0.999])
        guard betas.count == 2, betas.allSatisfy({ (0..<1).contains($0) }) else {
            throw section.error("betas", value: "\(betas)", allowed: "two numbers in [0, 1)")
        }
        self.betas = (betas[0], betas[1])
    }

    /// The optimizer over `parameters` (e.g. a model's trainable `namedParameters()`).
    public func make(parameters: [(String, Tensor)]) -> any Optimizer {
        switch name {
        case .adam: Adam(parameters: parameters, lr: lr, betas: betas, weightDecay: weightDecay)
        case .adamw: AdamW(parameters: parameters, lr: lr, betas: betas, weightDecay: weightDecay)
        case .sgd: SGD(parameters: parameters, lr: lr, momentum: momentum, weightDecay: weightDecay, nesterov: nesterov)
        case .rmsprop: RMSprop(parameters: parameters, lr: lr, weightDecay: weightDecay, momentum: momentum)
        }
    }

    public static func == (a: OptimizerRecipe, b: OptimizerRecipe) -> Bool {
        a.name == b.name && a.lr == b.lr && a.weightDecay == b.weightDecay && a.momentum == b.momentum
            && a.nesterov == b.nesterov && a.betas == b.betas
    }
}

/// The `schedule` section of a recipe: how the learning rate changes.
///
/// ```yaml
/// schedule: {name: step, step_size: 40, gamma: 0.1}            # per epoch
/// schedule: {name: warmup_cosine, warmup_epochs: 10}           # seed 001
/// schedule: {name: one_cycle, max_lr: 0.1}                     # per step, seed 004
/// ```
public struct ScheduleRecipe: Sendable, Equatable {
    /// The schedules a recipe may name.
    public enum Name: String, CaseIterable, Sendable {
        case constant, step, multistep, exponential, cosine, warmupCosine = "warmup_cosine", oneCycle = "one_cycle", poly
    }

    /// Which schedule.
    public var name: Name
    /// `step`: epochs between decays.
    public var stepSize: Int
    /// `multistep`: the epochs at which to decay.
    public var milestones: [Int]
    /// `step`, `multistep`, `exponential`: the decay factor.
    public var gamma: Double
    /// `warmup_cosine`: linear warm-up epochs.
    public var warmupEpochs: Int
    /// `cosine`, `warmup_cosine`: the final learning rate.
    public var etaMin: Double
    /// `one_cycle`: the peak learning rate.
    public var maxLR: Double?
    /// `one_cycle`: the fraction of steps spent rising.
    public var pctStart: Double
    /// `poly`: the power.
    public var power: Double

    /// No schedule: the learning rate stays constant.
    public static let constant = ScheduleRecipe(
        name: .constant, stepSize: 1, milestones: [], gamma: 0.1, warmupEpochs: 0, etaMin: 0, maxLR: nil,
        pctStart: 0.3, power: 0.9)

    private init(
        name: Name, stepSize: Int, milestones: [Int], gamma: Double, warmupEpochs: Int, etaMin: Double,
        maxLR: Double?, pctStart: Double, power: Double
    ) {
        (self.name, self.stepSize, self.milestones, self.gamma) = (name, stepSize, milestones, gamma)
        (self.warmupEpochs, self.etaMin, self.maxLR, self.pctStart, self.power) = (warmupEpochs, etaMin, maxLR, pctStart, power)
    }

    /// Reads the section; throws `RecipeError` naming the key for a bad value.
    public init(_ section: RecipeSection) throws {
        try section.requireKnownKeys(
            ["name", "step_size", "milestones", "gamma", "warmup_epochs", "eta_min", "max_lr", "pct_start", "power"])
        name = try section.choice("name")
        stepSize = try section.int("step_size", default: 30, in: 1...1_000_000)
        milestones = try section.contains("milestones") ? section.ints("milestones") : []
        gamma = try section.double("gamma", default: 0.1, in: 0...1)
        warmupEpochs = try section.int("warmup_epochs", default: 0, in: 0...1_000_000)
        etaMin = try section.double("eta_min", default: 0, in: 0...10)
        maxLR = try section.contains("max_lr") ? section.double("max_lr", in: 0...10) : nil
        pctStart = try section.double("pct_start", default: 0.3, in: 0.01...0.99)
        power = try section.double("power", default: 0.9, in: 0...10)
    }

    /// The step unit: one-cycle advances per optimizer step, the others per epoch.
    public var unit: ScheduleUnit { name == .oneCycle ? .step : .epoch }

    /// The schedule for `optimizer` over `epochs` epochs of `stepsPerEpoch` optimizer steps
    /// (`nil` for `constant`).
    public func make(optimizer: any Optimizer, epochs: Int, stepsPerEpoch: Int) -> LRScheduler? {
        let lr = optimizer.paramGroups.first?.lr ?? 0
        let schedule: (any LearningRateSchedule)? = switch name {
        case .constant: nil
        case .step: StepLR(stepSize: stepSize, gamma: gamma)
        case .multistep: MultiStepLR(milestones: milestones, gamma: gamma)
        case .exponential: ExponentialLR(gamma: gamma)
        case .cosine: CosineAnnealingLR(tMax: epochs, etaMin: etaMin)
        case .warmupCosine: LinearWarmupCosine(warmupEpochs: warmupEpochs, totalEpochs: epochs, etaMin: etaMin)
        case .oneCycle: OneCycleLR(maxLR: maxLR ?? lr, totalSteps: max(epochs * stepsPerEpoch, 1), pctStart: pctStart)
        case .poly: PolynomialLR(totalIters: epochs, power: power)
        }
        return schedule.map { LRScheduler(optimizer, schedule: $0) }
    }
}
