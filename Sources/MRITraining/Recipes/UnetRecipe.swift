/// A recipe for fastMRI's U-Net baseline: a U-Net mapping the normalised zero-filled image to the
/// normalised target, single- or multi-coil (root sum of squares).
///
/// ```yaml
/// task: reconstruction
/// model: {name: unet, chans: 32, num_pool_layers: 4, drop_prob: 0.0}
/// data:
///   train: data/knee/singlecoil_train
///   val: data/knee/singlecoil_val
///   challenge: singlecoil
///   mask: {type: random, center_fractions: [0.08], accelerations: [4]}
/// training: {epochs: 50, optimizer: {name: rmsprop, lr: 0.001}, schedule: {name: step, step_size: 40}, loss: l1}
/// output: runs/unet
/// ```
public struct UnetRecipe: Sendable {
    /// The U-Net's hyper-parameters, with fastMRI's `UnetModule` names and defaults.
    public struct Model: Sendable, Equatable {
        /// Channels of the first level (fastMRI's `chans`).
        public var chans: Int
        /// Down-sampling levels (fastMRI's `num_pool_layers`).
        public var numPoolLayers: Int
        /// Dropout probability (fastMRI's `drop_prob`).
        public var dropProb: Double

        /// fastMRI's defaults, or the values given.
        public init(chans: Int = 32, numPoolLayers: Int = 4, dropProb: Double = 0) {
            (self.chans, self.numPoolLayers, self.dropProb) = (chans, numPoolLayers, dropProb)
        }

        /// Reads a `model` section.
        public init(_ section: RecipeSection) throws {
            try section.requireKnownKeys(["name", "chans", "num_pool_layers", "drop_prob"])
            chans = try section.int("chans", default: 32, in: 1...1024)
            numPoolLayers = try section.int("num_pool_layers", default: 4, in: 1...8)
            dropProb = try section.double("drop_prob", default: 0, in: 0...1)
        }

        /// The network, one channel in and out (weights drawn from the global generator).
        public func make() -> Unet {
            Unet(inChans: 1, outChans: 1, chans: chans, numPoolLayers: numPoolLayers, dropProb: dropProb)
        }
    }

    /// The network.
    public var model: Model
    /// The training and validation folders (single- or multi-coil; fastMRI's U-Net demo defaults
    /// to single-coil and random masks), masks and loading.
    public var data: FastMRIDataRecipe
    /// Optimizer, schedule, loss (`l1`) and trainer settings.
    public var training: TrainingRecipe
    /// Where checkpoints, logs and figures go.
    public var output: String

    /// Reads a parsed recipe file; throws `RecipeError` naming the key of the first bad value.
    public init(_ recipe: RecipeSection) throws {
        let sections = try recipe.trainingSections(task: "reconstruction", models: ["unet"])
        model = try Model(sections.model)
        data = try FastMRIDataRecipe(
            sections.data, defaultMask: MaskRecipe(kind: .random), challenges: [.singleCoil, .multiCoil])
        training = try TrainingRecipe(sections.training, losses: ["l1"], defaultMonitor: MonitoredMetric("ssim", .maximize))
        output = sections.output
        training.configuration.checkpointDirectory = output
    }
}
