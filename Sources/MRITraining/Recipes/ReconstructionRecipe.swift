/// A reconstruction recipe: an E2E-VarNet trained on fastMRI-layout multi-coil folders.
///
/// ```yaml
/// task: reconstruction
/// model: {name: varnet, num_cascades: 12, chans: 18, pools: 4, sens_chans: 8, sens_pools: 4}
/// data:
///   train: data/brain/multicoil_train
///   val: data/brain/multicoil_val
///   mask: {type: equispaced_fraction, center_fractions: [0.08], accelerations: [4]}
///   workers: 2
/// training: {epochs: 50, optimizer: {name: adam, lr: 3.0e-4}, schedule: {name: step, step_size: 40}, loss: ssim}
/// output: runs/varnet
/// ```
public struct ReconstructionRecipe: Sendable {
    /// E2E-VarNet's hyper-parameters, with fastMRI's names and defaults.
    public struct Model: Sendable, Equatable {
        public var numCascades = 12, chans = 18, pools = 4, sensChans = 8, sensPools = 4

        /// fastMRI's defaults.
        public init() {}

        /// Reads a `model` section (its `name` is checked by the caller); `otherKeys` are the
        /// caller's keys allowed beside the VarNet's.
        public init(_ section: RecipeSection, otherKeys: [String] = ["name"]) throws {
            try section.requireKnownKeys(otherKeys + ["num_cascades", "chans", "pools", "sens_chans", "sens_pools"])
            numCascades = try section.int("num_cascades", default: 12, in: 1...100)
            chans = try section.int("chans", default: 18, in: 1...1024)
            pools = try section.int("pools", default: 4, in: 1...8)
            sensChans = try section.int("sens_chans", default: 8, in: 1...1024)
            sensPools = try section.int("sens_pools", default: 4, in: 1...8)
        }

        /// The network (weights drawn from the global generator).
        public func make() -> VarNet {
            VarNet(numCascades: numCascades, sensChans: sensChans, sensPools: sensPools, chans: chans, pools: pools)
        }
    }

    /// The network.
    public var model: Model
    /// The training and validation folders, masks and loading.
    public var data: FastMRIDataRecipe
    /// Optimizer, schedule, loss (`ssim` or `l1`) and trainer settings.
    public var training: TrainingRecipe
    /// Where checkpoints, logs and figures go.
    public var output: String

    /// Reads a parsed recipe file; throws `RecipeError` naming the key of the first bad value.
    public init(_ recipe: RecipeSection) throws {
        let sections = try recipe.trainingSections(task: "reconstruction", models: ["varnet"])
        model = try Model(sections.model)
        data = try FastMRIDataRecipe(sections.data)
        training = try TrainingRecipe(sections.training, losses: ["ssim", "l1"], defaultMonitor: MonitoredMetric("ssim", .maximize))
        output = sections.output
        training.configuration.checkpointDirectory = output
    }
}
