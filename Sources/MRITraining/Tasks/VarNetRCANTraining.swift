/// Trains seed 000's hybrid (``VarNetRCAN``): the frozen VarNet and the GRAPPA image of each slice
/// go into the RCAN, the only part trained, with the VarNet's loss (SSIM or L1) on the output
/// cropped to the target; validation as fastMRI's, with the flip self-ensemble when the recipe
/// asks for it (seed 000's evaluation).
///
/// GRAPPA runs in the loader's workers on each slice as undersampled, so training masks can be
/// drawn per slice on the fly as for the VarNet.
public final class VarNetRCANTraining: TrainingTask {
    typealias SliceDataset = TransformedDataset<FastMRISliceDataset, HybridSample>

    /// The recipe this run follows.
    public let recipe: VarNetRCANRecipe
    /// The network (its VarNet frozen).
    public let model: VarNetRCAN
    /// The trainer (its observers may be set before `run`).
    public let trainer: Trainer<VarNetRCAN>
    let trainingLoader: DataLoader<SliceDataset, HybridBatch>
    let validationLoader: DataLoader<SliceDataset, HybridBatch>

    /// Builds the model (loading the VarNet's weights), loaders, optimizer and schedule; throws
    /// `DataError` for unreadable data or weights and `TrainingError` for a bad configuration.
    public init(recipe: VarNetRCANRecipe) throws {
        self.recipe = recipe
        manualSeed(recipe.training.seed)
        model = try recipe.model.make()
        (trainingLoader, validationLoader) = try recipe.data.loaders(seed: recipe.training.seed) { slice, mask, generator in
            let sample = try VarNetDataTransform(undersampling: mask)(slice, generator: generator)
            do {
                let grappa = try VarNetRCAN.grappaImage(sample.maskedKSpace.unsqueeze(0), mask: sample.mask.unsqueeze(0))
                return HybridSample(slice: sample, grappaImage: grappa[0])
            } catch let error as MRIError {
                throw DataError(file: slice.fileName, field: "kspace", "GRAPPA: \(error)")
            }
        }
        trainer = try recipe.training.makeTrainer(model: model, batchesPerEpoch: trainingLoader.batchCount())
    }

    /// `"VarNet+RCAN"`.
    public var modelName: String { "VarNet+RCAN" }
    /// The recipe's output folder.
    public var output: String { recipe.output }

    /// Trains (continuing from the trainer's state, e.g. after `trainer.resume(from:)`).
    @discardableResult
    public func run() throws -> TrainingHistory {
        let loss = VarNetTraining.loss(named: recipe.training.loss)
        let selfEnsemble = recipe.model.selfEnsemble
        return try trainer.fit(
            trainingLoader,
            loss: { model, batch in loss(try Self.predict(model, batch), batch.slice) },
            validate: { model in
                try VolumeValidation(method: "VarNet+RCAN", samples: SamplePanels(output: self.recipe.output)).metrics(
                    self.validationLoader, epoch: self.trainer.completedEpochs + 1
                ) { batch in
                    try VarNetTraining.validationSlices(
                        batch.slice, output: Self.predict(model, batch, selfEnsemble: selfEnsemble))
                }
            })
    }

    /// The hybrid's images `[N, h, w]` cropped to the batch's targets; `selfEnsemble` averages
    /// them with the refinement of the mirrored images.
    public static func predict(_ model: VarNetRCAN, _ batch: HybridBatch, selfEnsemble: Bool = false) throws -> Tensor {
        let slice = batch.slice
        let lowFrequencies = slice.numLowFrequencies.first.flatMap { $0 > 0 ? $0 : nil }
        let image = selfEnsemble
            ? model.selfEnsemble(slice.maskedKSpace, mask: slice.mask, grappaImage: batch.grappaImage, numLowFrequencies: lowFrequencies)
            : model(slice.maskedKSpace, mask: slice.mask, grappaImage: batch.grappaImage, numLowFrequencies: lowFrequencies)
        return try VarNetTraining.cropToTarget(image, slice)
    }
}

/// A VarNet sample with the GRAPPA image of its undersampled k-space.
public struct HybridSample: Sendable, Collatable {
    /// The undersampled slice.
    public var slice: VarNetSample
    /// The root-sum-of-squares GRAPPA image `[H, W]` (uncropped, as the VarNet's image).
    public var grappaImage: Tensor

    /// The slices collated as VarNet batches and the GRAPPA images stacked (`[N, H, W]`).
    public static func collate(_ samples: [HybridSample]) throws -> HybridBatch {
        HybridBatch(
            slice: try VarNetSample.collate(samples.map(\.slice)), grappaImage: try Tensor.collate(samples.map(\.grappaImage)))
    }
}

/// A batch of ``HybridSample``s.
public struct HybridBatch: Sendable {
    /// The undersampled slices.
    public var slice: VarNetBatch
    /// The GRAPPA images `[N, H, W]`.
    public var grappaImage: Tensor
}
