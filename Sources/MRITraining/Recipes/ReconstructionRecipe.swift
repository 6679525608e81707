import Foundation

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

        /// The network (weights drawn from the global generator).
        public func make() -> VarNet {
            VarNet(numCascades: numCascades, sensChans: sensChans, sensPools: sensPools, chans: chans, pools: pools)
        }
    }

    /// The network.
    public var model: Model
    /// Training and validation folders of fastMRI-layout multi-coil `.h5` files.
    public var trainFolder: String, validationFolder: String
    /// The undersampling of training and validation slices (validation masks are seeded by file name).
    public var mask: MaskRecipe
    /// Slices per batch (VarNet needs equal slice sizes within a batch; fastMRI uses 1).
    public var batchSize: Int
    /// Loader threads.
    public var workers: Int
    /// The fraction of training slices used (fastMRI's `sample_rate`).
    public var sampleRate: Double
    /// Skip unreadable slices with a warning instead of stopping.
    public var skipBadSamples: Bool
    /// Optimizer, schedule, loss (`ssim` or `l1`) and trainer settings.
    public var training: TrainingRecipe
    /// Where checkpoints, logs and figures go.
    public var output: String

    /// Reads a parsed recipe file; throws `RecipeError` naming the key of the first bad value.
    public init(_ recipe: RecipeSection) throws {
        try recipe.requireKnownKeys(["task", "model", "data", "training", "output"])
        guard try recipe.string("task") == "reconstruction" else {
            throw recipe.error("task", value: try recipe.string("task"), allowed: "reconstruction")
        }
        guard let modelSection = try recipe.section("model") else {
            throw recipe.error("model", value: nil, allowed: "a mapping with name: varnet")
        }
        try modelSection.requireKnownKeys(["name", "num_cascades", "chans", "pools", "sens_chans", "sens_pools"])
        guard try modelSection.string("name") == "varnet" else {
            throw modelSection.error("name", value: try modelSection.string("name"), allowed: "varnet")
        }
        var model = Model()
        model.numCascades = try modelSection.int("num_cascades", default: 12, in: 1...100)
        model.chans = try modelSection.int("chans", default: 18, in: 1...1024)
        model.pools = try modelSection.int("pools", default: 4, in: 1...8)
        model.sensChans = try modelSection.int("sens_chans", default: 8, in: 1...1024)
        model.sensPools = try modelSection.int("sens_pools", default: 4, in: 1...8)
        self.model = model

        guard let data = try recipe.section("data") else {
            throw recipe.error("data", value: nil, allowed: "a mapping with train, val and mask")
        }
        try data.requireKnownKeys(["train", "val", "mask", "batch_size", "workers", "sample_rate", "skip_bad_samples"])
        trainFolder = try data.string("train")
        validationFolder = try data.string("val")
        for (key, folder) in [("train", trainFolder), ("val", validationFolder)] {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw data.error(key, value: folder, allowed: "an existing folder of fastMRI .h5 files")
            }
        }
        mask = try data.section("mask").map(MaskRecipe.init) ?? MaskRecipe()
        batchSize = try data.int("batch_size", default: 1, in: 1...4096)
        workers = try data.int("workers", default: 2, in: 0...256)
        sampleRate = try data.double("sample_rate", default: 1, in: 1e-6...1)
        skipBadSamples = try data.bool("skip_bad_samples", default: false)

        guard let trainingSection = try recipe.section("training") else {
            throw recipe.error("training", value: nil, allowed: "a mapping with epochs and optimizer")
        }
        training = try TrainingRecipe(trainingSection, losses: ["ssim", "l1"], defaultMonitor: MonitoredMetric("ssim", .maximize))
        output = try recipe.string("output")
        training.configuration.checkpointDirectory = output
    }
}
