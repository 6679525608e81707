import Foundation
import MRITraining

/// The demo's reconstruction leg: 8-coil 4× accelerated acquisitions simulated from the anatomy,
/// a small E2E-VarNet trained on the training slices, and the held-out slices reconstructed by
/// zero-filling, GRAPPA, SENSE, compressed sensing and the network.
struct DemoReconstruction {
    let anatomy: DemoAnatomy
    let trainingSlices: [Int]
    let testSlices: [Int]
    let epochs: Int
    let output: URL

    static let coils = 8
    static let snr = 40.0

    /// Trains, evaluates, writes the figures and returns the per-slice metrics of every method.
    func run() throws -> EvaluationReport {
        print("\n== Reconstruction: \(Self.coils) coils, 4× equispaced undersampling with an 8% fully sampled centre, SNR \(Int(Self.snr))")
        let acquisition = try Simulation.acquire(object: anatomy.t1, coils: Self.coils, snr: Self.snr, seed: 1)
        let kspace = acquisition.kspace
        // The target is what fastMRI stores as reconstruction_rss: the RSS of the fully sampled (noisy) coil images.
        let targets = CoilCombination.rootSumOfSquares(CenteredFFT.inverse(kspace), dim: 1)
        let shape = [1, Self.coils, kspace.size(2), kspace.size(3)]
        var trainingMasks = try EquispacedMaskFractionFunc(centerFractions: [0.08], accelerations: [4], seed: 42)
        var testMaskFunction = try EquispacedMaskFractionFunc(centerFractions: [0.08], accelerations: [4])
        let test = try testSlices.map { index in
            let mask = try testMaskFunction(shape, seed: .integer(UInt32(index))).mask
            return (kspace: kspace[index..<index + 1] * mask, mask: mask, target: targets[index..<index + 1])
        }

        manualSeed(0)
        let model = VarNet(numCascades: 4, sensChans: 4, sensPools: 3, chans: 12, pools: 3)
        let directory = output.appendingPathComponent("reconstruction")
        let trainer = try Trainer(
            model: model, optimizer: Adam(parameters: model.namedParameters(), lr: 1e-3),
            configuration: TrainerConfiguration(
                epochs: epochs, monitor: MonitoredMetric("ssim", .maximize), checkpointDirectory: directory.path))
        trainer.observers = [ProgressBar(), try CSVLog(path: directory.appendingPathComponent("log.csv").path)]
        let ssimLoss = SSIMLoss()
        print("E2E-VarNet (4 cascades, 12 channels), SSIM loss: \(model.parameterCount) parameters, \(trainingSlices.count) training slices")
        try trainer.fit(
            batchesPerEpoch: trainingSlices.count,
            trainingBatches: { epoch, body in
                let order = Tensor.randperm(trainingSlices.count, generator: Generator(seed: UInt64(epoch)))
                for position in order.toArray(of: Int64.self) {
                    let index = trainingSlices[Int(position)]
                    let mask = try trainingMasks(shape).mask
                    try body((kspace[index..<index + 1] * mask, mask, targets[index..<index + 1]))
                }
            },
            // fastMRI's VarNet loss: 1 − SSIM with the slice's maximum as data range.
            loss: { model, batch in ssimLoss(model(batch.0, mask: batch.1).unsqueeze(1), batch.2.unsqueeze(1)) },
            validate: { model in
                let scores = try test.map { try ImageQuality.ssim($0.target, model($0.kspace, mask: $0.mask)) }
                return ["ssim": scores.reduce(0, +) / Double(scores.count)]
            })

        print("Reconstructing \(testSlices.count) held-out slices with every method …")
        var report = EvaluationReport()
        var images: [String: [Tensor]] = [:]
        for (slice, sample) in zip(testSlices, test) {
            var outputs: [(String, Tensor)] = try ClassicReconstruction.allCases.map {
                ($0.rawValue, try $0.reconstruct(sample.kspace, mask: sample.mask))
            }
            outputs.append(("VarNet", withoutGradient { model.eval()(sample.kspace, mask: sample.mask) }))
            for (method, image) in outputs {
                report.add(method: method, volume: "slice \(anatomy.sliceIndices[slice])",
                           metrics: try ImageQuality.volumeMetrics(target: sample.target, prediction: image))
                images[method, default: []].append(image)
            }
        }
        try report.write(stem: directory.appendingPathComponent("metrics").path)
        try writeFigures(report: report, images: images, targets: test.map(\.target), history: trainer.history,
                         directory: directory)
        return report
    }

    /// `comparison.png` (the middle held-out slice by every method, with error maps) and
    /// `training.png` (loss and held-out SSIM per epoch).
    private func writeFigures(
        report: EvaluationReport, images: [String: [Tensor]], targets: [Tensor], history: TrainingHistory,
        directory: URL
    ) throws {
        let middle = targets.count / 2
        let truth = targets[middle][0]
        let peak = truth.max().item(Float.self)
        let methods = report.methods
        var cells = [ImageGrid.Cell("truth", truth, range: 0...peak)]
        cells += methods.map { ImageGrid.Cell($0, images[$0]![middle][0], range: 0...peak) }
        cells.append(ImageGrid.Cell("", Tensor.zeros(like: truth), range: 0...1))
        cells += methods.map { ImageGrid.Cell("error x5", (images[$0]![middle][0] - truth).abs(), range: 0...peak / 5) }
        let comparison = directory.appendingPathComponent("comparison.png")
        try PNGFile.write(ImageGrid(cells, columns: methods.count + 1).render().tensor, to: comparison)

        let training = directory.appendingPathComponent("training.png")
        try PNGFile.write(TrainingCurves.render(history).tensor, to: training)
        print("Figures: \(comparison.path), \(training.path)")
    }
}
