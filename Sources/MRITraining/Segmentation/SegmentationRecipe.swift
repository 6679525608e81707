import Foundation

/// A segmentation recipe: a network, a source split by patient or case, the loss and the trainer's
/// settings, and how validation and `mrikit segment` predict whole images.
///
/// ```yaml
/// task: segmentation
/// model: {name: unet2d, in_channels: 3, out_channels: 1}
/// data: {format: lgg, root: data/kaggle_3m, validation: 30, sampling: lesion_weighted, batch_size: 4}
/// loss: {dice_weight: 0.3, smooth: 1, batch: true}
/// training: {epochs: 20, optimizer: {name: sgd, lr: 0.1, momentum: 0.9}, schedule: {name: one_cycle, max_lr: 0.1}, loss: dice_bce}
/// output: runs/lgg_unet
/// ```
public struct SegmentationRecipe: Sendable {
    /// The losses a segmentation recipe can name in `training.loss`.
    public static let losses = ["dice", "dice_bce", "dice_ce", "bce"]

    /// Options of the Dice and cross-entropy terms (the `loss` section).
    public struct LossOptions: Sendable, Equatable {
        /// The Dice term's weight in `dice_bce` and `dice_ce` (the cross-entropy gets `1 − dice_weight`).
        public var diceWeight = 0.5
        /// The Dice term's smoothing, added to numerator and denominator (MONAI's `smooth_nr`/`smooth_dr`).
        public var smooth = 1e-5
        /// Dice over the whole batch at once instead of per sample (MONAI's `batch`; seed 004 flattens the batch).
        public var batch = false
        /// Square the predictions in the Dice denominator (MONAI's `squared_pred`; Myronenko's BraTS loss).
        public var squared = false
    }

    /// How whole images are predicted (validation and `mrikit segment`; the `inference` section).
    public struct Inference: Sendable, Equatable {
        /// The fraction shared by neighbouring sliding windows (windows are `data.patch_size`).
        public var overlap = 0.5
        /// Gaussian (`true`) or constant blending of overlapping windows.
        public var gaussian = true
        /// The probability above which a region is predicted.
        public var threshold = 0.5
        /// Average over flipped inputs.
        public var flipEnsemble = false
        /// Windows per network call.
        public var windowBatchSize = 1
    }

    /// The network.
    public var model: SegmentationModelRecipe
    /// The source, split, crops, augmentation and loader.
    public var data: SegmentationDataRecipe
    /// The loss's options.
    public var lossOptions: LossOptions
    /// Whole-image prediction.
    public var inference: Inference
    /// Optimizer, schedule, loss name and trainer settings.
    public var training: TrainingRecipe
    /// Where checkpoints, logs and figures go.
    public var output: String

    /// Reads a parsed recipe file; throws `RecipeError` naming the key of the first bad value.
    public init(_ recipe: RecipeSection) throws {
        try recipe.requireKnownKeys(["task", "model", "data", "loss", "inference", "training", "output"])
        guard try recipe.string("task") == "segmentation" else {
            throw recipe.error("task", value: try recipe.string("task"), allowed: "segmentation")
        }
        guard let modelSection = try recipe.section("model") else {
            throw recipe.error("model", value: nil, allowed: "a mapping with name, in_channels and out_channels")
        }
        model = try SegmentationModelRecipe(modelSection)
        guard let dataSection = try recipe.section("data") else {
            throw recipe.error("data", value: nil, allowed: "a mapping with format and root")
        }
        data = try SegmentationDataRecipe(dataSection)
        if data.spatialDims != model.spatialDims {
            throw modelSection.error(
                "spatial_dims", value: "\(model.spatialDims)",
                allowed: "\(data.spatialDims), the dimensions of \(data.format.rawValue) samples")
        }
        let divisor = model.sizeDivisor
        if let patch = data.patchSize, patch.count != data.spatialDims || patch.contains(where: { $0 % divisor != 0 }) {
            throw dataSection.error(
                "patch_size", value: "\(patch)",
                allowed: "\(data.spatialDims) sizes, each a multiple of \(divisor) for \(model.name.rawValue)")
        }
        lossOptions = LossOptions()
        if let loss = try recipe.section("loss") {
            try loss.requireKnownKeys(["dice_weight", "smooth", "batch", "squared"])
            lossOptions.diceWeight = try loss.double("dice_weight", default: 0.5, in: 0...1)
            lossOptions.smooth = try loss.double("smooth", default: 1e-5, in: 0...1e6)
            lossOptions.batch = try loss.bool("batch", default: false)
            lossOptions.squared = try loss.bool("squared", default: false)
        }
        inference = Inference()
        if let section = try recipe.section("inference") {
            try section.requireKnownKeys(["overlap", "blending", "threshold", "flip_ensemble", "window_batch_size"])
            inference.overlap = try section.double("overlap", default: 0.5, in: 0...0.95)
            let blending = try section.string("blending", default: "gaussian")
            guard ["gaussian", "constant"].contains(blending) else {
                throw section.error("blending", value: blending, allowed: "gaussian or constant")
            }
            inference.gaussian = blending == "gaussian"
            inference.threshold = try section.double("threshold", default: 0.5, in: 0...1)
            inference.flipEnsemble = try section.bool("flip_ensemble", default: false)
            inference.windowBatchSize = try section.int("window_batch_size", default: 1, in: 1...1024)
        }
        guard let trainingSection = try recipe.section("training") else {
            throw recipe.error("training", value: nil, allowed: "a mapping with epochs and optimizer")
        }
        training = try TrainingRecipe(trainingSection, losses: Self.losses, defaultMonitor: MonitoredMetric("dice", .maximize))
        output = try recipe.string("output")
        training.configuration.checkpointDirectory = output
    }

    /// The sliding window of whole-volume prediction: `data.patch_size` windows for 3-D sources,
    /// none for 2-D slices (predicted whole).
    public var window: SlidingWindowInference? {
        guard data.spatialDims == 3, let patch = data.patchSize else { return nil }
        return SlidingWindowInference(
            roiSize: patch, overlap: inference.overlap, blending: inference.gaussian ? .gaussian() : .constant,
            windowBatchSize: inference.windowBatchSize)
    }

    /// Whole-image prediction with `network` as this recipe describes it.
    public func predictor(for network: SegmentationNetwork) throws -> SegmentationPredictor {
        SegmentationPredictor(
            network: network, kind: try SegmentationSource.kind(of: data), sizeDivisor: model.sizeDivisor,
            window: window, threshold: inference.threshold, flipEnsemble: inference.flipEnsemble)
    }

    /// The recipe's network with the weights at `checkpoint` (a training checkpoint or a state
    /// dict), in evaluation mode, as a predictor.
    public func trainedPredictor(checkpoint: String) throws -> SegmentationPredictor {
        let network = try model.make(patchSize: data.patchSize)
        try network.module.loadWeights(fromPath: checkpoint)
        _ = network.module.eval()
        return try predictor(for: network)
    }
}
