import Foundation

/// Trains seed 001's cine reconstruction: the sequences of `cine.npz` split 4:1:2 (train,
/// validation, test), training sequences undersampled with new masks at every draw, validation
/// and test ones with fixed masks; the loss on the real and imaginary parts; validation loss,
/// PSNR and SSIM (on the magnitude frames of each sequence) averaged over sequences.
///
/// When training ends, the test split is evaluated as the seed's `train.py` does: `<output>/test/`
/// gets `undersampled/`, `fully_sampled/` and `reconstructed/` PNGs of every test sequence (its
/// frames tiled five per row) and `<output>/output.txt` the mean and sample standard deviation
/// (n − 1) of the loss, PSNR and SSIM (per-sequence values in `<output>/test/metrics.csv`).
public final class CineTraining<Network: Module>: TrainingTask {
    /// The recipe this run follows.
    public let recipe: CineRecipe
    /// The network.
    public let model: Network
    /// The trainer (its observers may be set before `run`).
    public let trainer: Trainer<Network>
    let forward: (Network, CineSample) -> Tensor
    let trainingLoader: DataLoader<Subset<CineDataset>, CineSample>
    let validationLoader: DataLoader<FixedMasks, CineSample>
    let testLoader: DataLoader<FixedMasks, CineSample>

    /// Reads and splits the data, builds the network for the sequences' frame count with
    /// `makeModel`, the loaders, optimizer and schedule; `forward` reconstructs a batch
    /// (complex `[N, frames, nx, ny]`).
    /// - Throws: `DataError` for an unreadable file or a split with an empty part, `TrainingError`
    ///   for a bad configuration.
    public init(
        recipe: CineRecipe, makeModel: (_ frames: Int) -> Network,
        forward: @escaping (Network, CineSample) -> Tensor
    ) throws {
        self.recipe = recipe
        self.forward = forward
        let dataset = try CineDataset(
            path: recipe.path, key: recipe.key, acceleration: recipe.acceleration, sampleN: recipe.sampleN)
        let parts = try dataset.split(ratios: recipe.split, seed: recipe.training.seed)
        guard parts.allSatisfy({ $0.count > 0 }) else {
            throw DataError(file: recipe.path, field: recipe.key,
                            "\(dataset.count) sequences leave a split part empty (\(parts.map(\.count)))")
        }
        manualSeed(recipe.training.seed)
        model = makeModel(dataset.sequences.size(1))
        let seed = recipe.training.seed
        trainingLoader = DataLoader(parts[0], batchSize: recipe.batchSize, shuffle: true, workers: recipe.workers, seed: seed)
        validationLoader = DataLoader(FixedMasks(parts[1]), batchSize: recipe.batchSize, workers: recipe.workers, seed: seed)
        testLoader = DataLoader(FixedMasks(parts[2]), batchSize: recipe.batchSize, workers: recipe.workers, seed: seed)
        trainer = try recipe.training.makeTrainer(model: model, batchesPerEpoch: trainingLoader.batchCount())
    }

    /// The network's name.
    public var modelName: String { recipe.model.displayName }
    /// The recipe's output folder.
    public var output: String { recipe.output }

    /// Trains (continuing from the trainer's state, e.g. after `trainer.resume(from:)`), then
    /// evaluates the test split and writes its images and `output.txt`.
    @discardableResult
    public func run() throws -> TrainingHistory {
        let panels = SamplePanels(output: recipe.output)
        let history = try trainer.fit(
            trainingLoader, loss: { model, batch in self.loss(self.forward(model, batch), batch.target) },
            validate: { _ in
                try self.evaluate(self.validationLoader) { index, batch, output in
                    guard index == 0 else { return }
                    try panels.write(
                        truth: batch.target[0, 0].abs(), input: batch.image[0, 0].abs(), output: output[0, 0].abs(),
                        method: self.modelName, epoch: self.trainer.completedEpochs + 1)
                }.summary(of: self.modelName).reduce(into: [String: Double]()) { metrics, entry in
                    // The training loss is `loss` in the logs; the validation one is fastMRI's `val_loss`.
                    metrics[entry.key == "loss" ? "val_loss" : entry.key] = entry.value.mean
                }
            })
        _ = model.eval()
        defer { _ = model.train() }
        try withoutGradient { try test() }
        return history
    }

    /// Evaluates the test split: the three image folders, per-sequence metrics and `output.txt`.
    func test() throws {
        let folder = URL(fileURLWithPath: recipe.output).appendingPathComponent("test")
        let kinds = ["undersampled", "fully_sampled", "reconstructed"]
        for kind in kinds {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(kind), withIntermediateDirectories: true)
        }
        var written = 0
        let report = try evaluate(testLoader) { _, batch, output in
            for item in 0..<output.size(0) {
                let truth = batch.target[item].abs()
                let peak = max(truth.max().item(Float.self), .leastNonzeroMagnitude)
                let name = String(format: "sequence_%03d.png", written)
                for (kind, frames) in zip(kinds, [batch.image[item].abs(), truth, output[item].abs()]) {
                    try PNGFile.write(
                        Self.tiled(frames, range: 0...peak), to: folder.appendingPathComponent(kind).appendingPathComponent(name))
                }
                written += 1
            }
        }
        try report.write(stem: folder.appendingPathComponent("metrics").path)
        let summary = report.summary(of: modelName)
        let lines = ["loss", "psnr", "ssim"].map { name in
            "\(name): mean " + String(format: "%.6g std %.6g", summary[name]?.mean ?? .nan, summary[name]?.std ?? .nan)
        }
        let text = "\(modelName), \(written) test sequences\n" + lines.joined(separator: "\n") + "\n"
        try AtomicFileWriter.write(Array(text.utf8), to: URL(fileURLWithPath: recipe.output).appendingPathComponent("output.txt"))
    }

    /// The loss of seed 001: mean squared (or absolute) error of the real and imaginary parts.
    func loss(_ output: Tensor, _ target: Tensor) -> Tensor {
        recipe.training.loss == "l1"
            ? Functional.l1Loss(output.viewAsReal(), target: target.viewAsReal())
            : Functional.mseLoss(output.viewAsReal(), target: target.viewAsReal())
    }

    /// Each sequence's loss, PSNR and SSIM (on its magnitude frames, data range the sequence's
    /// maximum) over `loader`'s batches, in a report whose method is the model's name; `visit` sees the
    /// index, each batch and its reconstruction.
    func evaluate(
        _ loader: DataLoader<FixedMasks, CineSample>, visit: (Int, CineSample, Tensor) throws -> Void
    ) throws -> EvaluationReport {
        var report = EvaluationReport()
        let batches = loader.makeEpoch(0)
        var index = 0
        var sequences = 0
        while let batch = try batches.next() {
            let output = forward(model, batch)
            try visit(index, batch, output)
            for item in 0..<output.size(0) {
                let (target, prediction) = (batch.target[item], output[item])
                report.add(method: modelName, volume: "sequence_\(String(format: "%03d", sequences))", metrics: [
                    "loss": loss(prediction, target).to(dtype: .float64).item(Double.self),
                    "psnr": try ImageQuality.psnr(target.abs(), prediction.abs()),
                    "ssim": try ImageQuality.ssim(target.abs(), prediction.abs()),
                ])
                sequences += 1
            }
            index += 1
        }
        return report
    }

    /// Frames `[nt, nx, ny]` tiled five per row, titled `t1`, `t2`, ..., as an 8-bit image.
    static func tiled(_ frames: Tensor, range: ClosedRange<Float>) -> Tensor {
        let cells = (0..<frames.size(0)).map { ImageGrid.Cell("t\($0 + 1)", frames[$0], range: range) }
        return ImageGrid(cells, columns: min(5, cells.count)).render().tensor
    }
}

/// Validation and test sequences: each read with its own fixed masks (``CineDataset/sample(at:)``),
/// whatever generator the loader gives.
struct FixedMasks: Dataset {
    let part: Subset<CineDataset>
    init(_ part: Subset<CineDataset>) { self.part = part }
    var count: Int { part.count }
    func sample(at index: Int) throws -> CineSample { try part.sample(at: index) }
    func sample(at index: Int, generator: Generator) throws -> CineSample { try part.sample(at: index) }
}
