import Foundation

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
    /// and `TrainingError` for a bad configuration.
    public init(recipe: ReconstructionRecipe) throws {
        self.recipe = recipe
        manualSeed(recipe.training.seed)
        model = recipe.model.make()
        let maskFunction = try recipe.mask.make()
        let trainingTransform = VarNetDataTransform(undersampling: Undersampling(maskFunction, seeding: .generator))
        let validationTransform = VarNetDataTransform(undersampling: Undersampling(maskFunction, seeding: .fileName))
        let training = try FastMRISliceDataset(
            root: recipe.trainFolder, challenge: .multiCoil, sampleRate: recipe.sampleRate < 1 ? recipe.sampleRate : nil,
            seed: recipe.training.seed)
        let validation = try FastMRISliceDataset(root: recipe.validationFolder, challenge: .multiCoil)
        guard training.count > 0 else { throw DataError(file: recipe.trainFolder, "holds no fastMRI .h5 slices") }
        guard validation.count > 0 else { throw DataError(file: recipe.validationFolder, "holds no fastMRI .h5 slices") }
        trainingLoader = DataLoader(
            training.map { try trainingTransform(KSpaceSlice($0), generator: $1) }, batchSize: recipe.batchSize,
            shuffle: true, workers: recipe.workers, seed: recipe.training.seed, skipBadSamples: recipe.skipBadSamples)
        validationLoader = DataLoader(
            validation.map { try validationTransform(KSpaceSlice($0), generator: $1) }, batchSize: 1,
            workers: recipe.workers, seed: recipe.training.seed, skipBadSamples: recipe.skipBadSamples)
        let optimizer = recipe.training.optimizer.make(parameters: model.namedParameters())
        let stepsPerEpoch = (trainingLoader.batchCount() + recipe.training.configuration.accumulationSteps - 1)
            / recipe.training.configuration.accumulationSteps
        let scheduler = recipe.training.schedule.make(
            optimizer: optimizer, epochs: recipe.training.configuration.epochs, stepsPerEpoch: stepsPerEpoch)
        trainer = try Trainer(
            model: model, optimizer: optimizer, scheduler: scheduler, configuration: recipe.training.configuration)
    }

    /// Trains (continuing from the trainer's state, e.g. after `trainer.resume(from:)`).
    @discardableResult
    public func run() throws -> TrainingHistory {
        try trainer.fit(
            batchesPerEpoch: trainingLoader.batchCount(),
            trainingBatches: { epoch, body in
                let batches = trainingLoader.makeEpoch(epoch)
                while let batch = try batches.next() { try body(batch) }
            },
            loss: Self.trainingLoss(recipe.training.loss),
            validate: { model in try self.validate(model) })
    }

    /// The training loss of a batch: `ssim` (1 − SSIM with the volume maximum as data range) or `l1`.
    static func trainingLoss(_ name: String) -> (VarNet, VarNetBatch) throws -> Tensor {
        let ssimLoss = SSIMLoss()
        return { model, batch in
            let output = try predict(model, batch)
            if name == "l1" { return Functional.l1Loss(output, target: batch.target) }
            return ssimLoss(output.unsqueeze(1), batch.target.unsqueeze(1), dataRange: batch.maxValue.to(dtype: .float32))
        }
    }

    /// The network's images `[N, h, w]`, cropped to the batch's targets (or, without targets, to
    /// the recon size, as fastMRI's test-time crop).
    public static func predict(_ model: VarNet, _ batch: VarNetBatch) throws -> Tensor {
        let lowFrequencies = batch.numLowFrequencies.first.flatMap { $0 > 0 ? $0 : nil }
        let output = model(batch.maskedKSpace, mask: batch.mask, numLowFrequencies: lowFrequencies)
        let size = batch.target.rank == 3 ? Array(batch.target.shape.suffix(2)) : batch.cropSizes[0]
        let width = output.size(-1)
        // fastMRI's guard for images narrower than the recon size (the FLAIR 203 volumes).
        return try centerCrop(output, shape: width < size[1] ? [width, width] : size)
    }

    /// Mean per-volume NMSE, PSNR and SSIM over the validation folder.
    /// Also writes `<output>/samples/epoch_<n>.png`: truth | zero-filled input | output | error of
    /// the first validation slice.
    func validate(_ model: VarNet) throws -> [String: Double] {
        var volumes: [String: [(slice: Int, output: Tensor, target: Tensor)]] = [:]
        let batches = validationLoader.makeEpoch(0)
        var wroteSample = false
        while let batch = try batches.next() {
            let output = try Self.predict(model, batch)
            if !wroteSample {
                try writeSamplePanel(batch: batch, output: output)
                wroteSample = true
            }
            for item in 0..<output.size(0) {
                volumes[batch.fileNames[item], default: []].append((batch.sliceNumbers[item], output[item], batch.target[item]))
            }
        }
        var report = EvaluationReport()
        for (file, slices) in volumes {
            let ordered = slices.sorted { $0.slice < $1.slice }
            report.add(method: "VarNet", volume: file, metrics: try ImageQuality.volumeMetrics(
                target: Tensor.stack(ordered.map(\.target)), prediction: Tensor.stack(ordered.map(\.output))))
        }
        return report.summary(of: "VarNet").mapValues(\.mean)
    }

    private func writeSamplePanel(batch: VarNetBatch, output: Tensor) throws {
        let target = batch.target[0]
        let input = try centerCrop(ZeroFilled.rss(batch.maskedKSpace[0..<1]), shape: Array(target.shape))[0]
        let peak = max(target.max().item(Float.self), .leastNonzeroMagnitude)
        let grid = ImageGrid([
            .init("truth", target, range: 0...peak), .init("input", input, range: 0...peak),
            .init("VarNet", output[0], range: 0...peak), .init("error x5", (output[0] - target).abs(), range: 0...peak / 5),
        ])
        let folder = URL(fileURLWithPath: recipe.output).appendingPathComponent("samples")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = String(format: "epoch_%03d.png", trainer.completedEpochs + 1)
        try PNGFile.write(grid.render().tensor, to: folder.appendingPathComponent(name))
    }
}

extension ImageQuality {
    /// NMSE, PSNR and SSIM of a volume `[slices, h, w]`, as fastMRI's `evaluate.py` computes them
    /// (data range: the volume's maximum).
    public static func volumeMetrics(target: Tensor, prediction: Tensor) throws -> [String: Double] {
        ["nmse": try nmse(target, prediction), "psnr": try psnr(target, prediction), "ssim": try ssim(target, prediction)]
    }
}
