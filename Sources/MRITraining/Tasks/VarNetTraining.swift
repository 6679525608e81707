/// Trains fastMRI's E2E-VarNet on fastMRI-layout multi-coil folders as fastMRI's `VarNetModule`
/// does: masks drawn per slice on the fly for training and seeded by file name for validation,
/// the output cropped to the target, an SSIM (or L1) loss with the volume maximum as data range,
/// and validation NMSE, PSNR and SSIM computed per volume and averaged (fastMRI's evaluation).
public final class VarNetTraining {
    typealias SliceDataset = TransformedDataset<FastMRISliceDataset, VarNetSample>

    /// The recipe this run follows.
    public let recipe: ReconstructionRecipe
    /// The network.
    public let model: VarNet
    /// The trainer (its observers may be set before `run`).
    public let trainer: Trainer<VarNet>
    let trainingLoader: DataLoader<SliceDataset, VarNetBatch>
    let validationLoader: DataLoader<SliceDataset, VarNetBatch>

    /// Builds the model, loaders, optimizer and schedule; throws `DataError` for unreadable data
    /// and `TrainingError` for a bad configuration. With `processGroup`, trains data-parallel:
    /// each rank reads its `DistributedSampler` share of every epoch (`batch_size` per rank) and
    /// starts from rank 0's weights.
    public init(recipe: ReconstructionRecipe, processGroup: ProcessGroup? = nil) throws {
        self.recipe = recipe
        manualSeed(recipe.training.seed)
        model = recipe.model.make()
        (trainingLoader, validationLoader) = try recipe.data.loaders(seed: recipe.training.seed, processGroup: processGroup) {
            slice, mask, generator in try VarNetDataTransform(undersampling: mask)(slice, generator: generator)
        }
        trainer = try recipe.training.makeTrainer(model: model, batchesPerEpoch: trainingLoader.batchCount())
        trainer.dataParallel = try processGroup.map { try DataParallel(model, processGroup: $0) }
    }

    /// Trains (continuing from the trainer's state, e.g. after `trainer.resume(from:)`).
    @discardableResult
    public func run() throws -> TrainingHistory {
        let loss = Self.loss(named: recipe.training.loss)
        // Every rank validates (so all agree on the best epoch and early stopping); rank 0 draws.
        let panels = trainer.dataParallel?.isLeader ?? true ? SamplePanels(output: recipe.output) : nil
        return try trainer.fit(
            trainingLoader,
            loss: { model, batch in loss(try Self.predict(model, batch), batch) },
            validate: { model in
                try VolumeValidation(method: "VarNet", samples: panels).metrics(
                    self.validationLoader, epoch: self.trainer.completedEpochs + 1
                ) { batch in try Self.validationSlices(batch, output: Self.predict(model, batch)) }
            })
    }

    /// The network's images `[N, h, w]`, cropped to the batch's targets (or, without targets, to
    /// the recon size, as fastMRI's test-time crop).
    public static func predict(_ model: VarNet, _ batch: VarNetBatch) throws -> Tensor {
        let lowFrequencies = batch.numLowFrequencies.first.flatMap { $0 > 0 ? $0 : nil }
        return try cropToTarget(model(batch.maskedKSpace, mask: batch.mask, numLowFrequencies: lowFrequencies), batch)
    }

    /// `image` `[N, H, W]` cropped to the batch's targets, or without targets to the recon size
    /// (fastMRI's test-time crop).
    static func cropToTarget(_ image: Tensor, _ batch: VarNetBatch) throws -> Tensor {
        let size = batch.target.rank == 3 ? Array(batch.target.shape.suffix(2)) : batch.cropSizes[0]
        let width = image.size(-1)
        // fastMRI's guard for images narrower than the recon size (the FLAIR 203 volumes).
        return try centerCrop(image, shape: width < size[1] ? [width, width] : size)
    }

    /// fastMRI's VarNet loss `named` (`"ssim"` or `"l1"`) of a batch's output `[N, h, w]`: SSIM
    /// with each slice's volume maximum as data range, or the mean absolute error.
    static func loss(named name: String) -> (Tensor, VarNetBatch) -> Tensor {
        if name == "l1" { return { output, batch in Functional.l1Loss(output, target: batch.target) } }
        let ssimLoss = SSIMLoss()
        return { output, batch in
            ssimLoss(output.unsqueeze(1), batch.target.unsqueeze(1), dataRange: batch.maxValue.to(dtype: .float32))
        }
    }

    /// A validation batch's `output` with its targets; the panel's input is the zero-filled RSS image.
    static func validationSlices(_ batch: VarNetBatch, output: Tensor) throws -> VolumeValidation.Slices {
        VolumeValidation.Slices(
            output: output, target: batch.target,
            input: { try cropToTarget(ZeroFilled.rss(batch.maskedKSpace[0..<1]), batch)[0] },
            fileNames: batch.fileNames, sliceNumbers: batch.sliceNumbers)
    }
}

extension VarNetTraining: TrainingTask {
    /// `"VarNet"`.
    public var modelName: String { "VarNet" }
    /// The recipe's output folder.
    public var output: String { recipe.output }
}

extension ImageQuality {
    /// NMSE, PSNR and SSIM of a volume `[slices, h, w]`, as fastMRI's `evaluate.py` computes them
    /// (data range: the volume's maximum).
    public static func volumeMetrics(target: Tensor, prediction: Tensor) throws -> [String: Double] {
        ["nmse": try nmse(target, prediction), "psnr": try psnr(target, prediction), "ssim": try ssim(target, prediction)]
    }
}
