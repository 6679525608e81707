/// A recipe for seed 000's hybrid (``VarNetRCAN``): a trained E2E-VarNet, frozen, whose image is
/// stacked with the GRAPPA image of the same slice and refined by an RCAN.
///
/// ```yaml
/// task: reconstruction
/// model:
///   name: varnet_rcan
///   varnet_checkpoint: runs/fastmri_varnet/best.pt
///   varnet: {num_cascades: 12, chans: 18, pools: 4, sens_chans: 8, sens_pools: 4}
///   n_feats: 160
///   n_resblocks: 25
///   n_resgroups: 4
///   reduction: 16
///   res_scale: 0.125
///   gradient_checkpointing: true
///   self_ensemble: true
/// data: {train: data/brain/multicoil_train, val: data/brain/multicoil_val}
/// training: {epochs: 20, optimizer: {name: adam, lr: 1.0e-4}, loss: ssim}
/// output: runs/snu_varnet_rcan
/// ```
public struct VarNetRCANRecipe: Sendable {
    /// The hybrid's hyper-parameters, with seed 000's argument names.
    public struct Model: Sendable, Equatable {
        /// The frozen VarNet's hyper-parameters (those it was trained with).
        public var varnet: ReconstructionRecipe.Model
        /// The VarNet's weights: a training checkpoint or a fastMRI state dict (`.pt` or `.safetensors`).
        public var varnetCheckpoint: String
        /// RCAN's feature channels (`--n_feats`).
        public var nFeats: Int
        /// Residual channel-attention blocks per group (`--n_resblocks`).
        public var nResblocks: Int
        /// Residual groups (`--n_resgroups`).
        public var nResgroups: Int
        /// Channel reduction in the attention (`--reduction`).
        public var reduction: Int
        /// The factor on each block's residual (`--res_scale`).
        public var resScale: Double
        /// Checkpoint every residual group in training (recompute in the backward pass).
        public var gradientCheckpointing: Bool
        /// Validate with the flip self-ensemble (``VarNetRCAN/selfEnsemble(_:mask:grappaImage:numLowFrequencies:)``).
        public var selfEnsemble: Bool

        /// Reads a `model` section; seed 000's arguments are the defaults.
        public init(_ section: RecipeSection) throws {
            try section.requireKnownKeys([
                "name", "varnet", "varnet_checkpoint", "n_feats", "n_resblocks", "n_resgroups", "reduction",
                "res_scale", "gradient_checkpointing", "self_ensemble",
            ])
            varnet = try section.section("varnet").map { try ReconstructionRecipe.Model($0, otherKeys: []) }
                ?? ReconstructionRecipe.Model()
            varnetCheckpoint = try section.existingFile(
                "varnet_checkpoint", allowed: "an existing VarNet checkpoint (.pt or .safetensors)")
            // The bottleneck blocks run at n_feats / 4 channels.
            nFeats = try section.int("n_feats", default: 160, in: 4...4096)
            nResblocks = try section.int("n_resblocks", default: 25, in: 1...1000)
            nResgroups = try section.int("n_resgroups", default: 4, in: 1...1000)
            reduction = try section.int("reduction", default: 16, in: 1...nFeats)
            resScale = try section.double("res_scale", default: 0.125, in: 0...10)
            gradientCheckpointing = try section.bool("gradient_checkpointing", default: true)
            selfEnsemble = try section.bool("self_ensemble", default: true)
        }

        /// The hybrid with the VarNet's weights loaded and frozen, and a new RCAN (weights drawn
        /// from the global generator).
        /// - Throws: what loading the VarNet's weights throws (a missing file, keys that do not fit).
        public func make() throws -> VarNetRCAN {
            let network = varnet.make()
            try network.loadWeights(fromPath: varnetCheckpoint)
            return VarNetRCAN(varnet: network, rcan: RCAN(
                inChannels: 2, outChannels: 1, nFeats: nFeats, nResblocks: nResblocks, nResgroups: nResgroups,
                reduction: reduction, resScale: resScale, gradientCheckpointing: gradientCheckpointing))
        }
    }

    /// The network.
    public var model: Model
    /// The training and validation folders (multi-coil), masks and loading.
    public var data: FastMRIDataRecipe
    /// Optimizer, schedule, loss (`ssim` or `l1`) and trainer settings.
    public var training: TrainingRecipe
    /// Where checkpoints, logs and figures go.
    public var output: String

    /// Reads a parsed recipe file; throws `RecipeError` naming the key of the first bad value.
    public init(_ recipe: RecipeSection) throws {
        let sections = try recipe.trainingSections(task: "reconstruction", models: ["varnet_rcan"])
        model = try Model(sections.model)
        data = try FastMRIDataRecipe(sections.data)
        training = try TrainingRecipe(sections.training, losses: ["ssim", "l1"], defaultMonitor: MonitoredMetric("ssim", .maximize))
        output = sections.output
        training.configuration.checkpointDirectory = output
    }
}
