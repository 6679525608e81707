/// Trains fastMRI's U-Net baseline as fastMRI's `UnetModule` does: the normalised zero-filled
/// image in, an L1 loss against the target normalised with the image's statistics, and
/// validation on images brought back to the target's scale, with NMSE, PSNR and SSIM per volume
/// averaged over volumes (fastMRI's evaluation). As in fastMRI's `UnetModule`, the validation
/// target is the normalised target (clamped to ±6) brought back to scale, so where the clamp bit,
/// these metrics differ from `mrikit evaluate`'s, which scores against the file's target.
public final class UnetTraining: TrainingTask {
    typealias SliceDataset = TransformedDataset<FastMRISliceDataset, UnetSample>

    /// The recipe this run follows.
    public let recipe: UnetRecipe
    /// The network.
    public let model: Unet
    /// The trainer (its observers may be set before `run`).
    public let trainer: Trainer<Unet>
    let trainingLoader: DataLoader<SliceDataset, UnetBatch>
    let validationLoader: DataLoader<SliceDataset, UnetBatch>

    /// Builds the model, loaders, optimizer and schedule; throws `DataError` for unreadable data
    /// and `TrainingError` for a bad configuration.
    public init(recipe: UnetRecipe) throws {
        self.recipe = recipe
        manualSeed(recipe.training.seed)
        model = recipe.model.make()
        let challenge: UnetDataTransform.Challenge = recipe.data.challenge == .singleCoil ? .singlecoil : .multicoil
        (trainingLoader, validationLoader) = try recipe.data.loaders(seed: recipe.training.seed) { slice, mask, generator in
            try UnetDataTransform(challenge: challenge, undersampling: mask)(slice, generator: generator)
        }
        trainer = try recipe.training.makeTrainer(model: model, batchesPerEpoch: trainingLoader.batchCount())
    }

    /// `"U-Net"`.
    public var modelName: String { "U-Net" }
    /// The recipe's output folder.
    public var output: String { recipe.output }

    /// Trains (continuing from the trainer's state, e.g. after `trainer.resume(from:)`).
    @discardableResult
    public func run() throws -> TrainingHistory {
        try trainer.fit(
            trainingLoader,
            loss: Self.loss,
            validate: { model in
                try VolumeValidation(method: "U-Net", samples: SamplePanels(output: self.recipe.output)).metrics(
                    self.validationLoader, epoch: self.trainer.completedEpochs + 1
                ) { batch in
                    VolumeValidation.Slices(
                        output: batch.unnormalized(Self.predict(model, batch)), target: batch.unnormalized(batch.target),
                        input: { batch.unnormalized(batch.image)[0] }, fileNames: batch.fileNames,
                        sliceNumbers: batch.sliceNumbers)
                }
            })
    }

    /// fastMRI's U-Net loss: the mean absolute error of the network's normalised images against
    /// the normalised targets.
    public static func loss(_ model: Unet, _ batch: UnetBatch) -> Tensor {
        Functional.l1Loss(predict(model, batch), target: batch.target)
    }

    /// The network's normalised images `[N, h, w]` of the batch's normalised zero-filled images.
    public static func predict(_ model: Unet, _ batch: UnetBatch) -> Tensor {
        model(batch.image.unsqueeze(1)).squeeze(dim: 1)
    }
}
