import Foundation
import MRITraining

/// The demo's segmentation leg: a small 2D U-Net (MONAI's BasicUNet, 3 classes) trained to label
/// gray and white matter on the T1 slices, with Dice per class on the held-out slices.
struct DemoSegmentation {
    let anatomy: DemoAnatomy
    let trainingSlices: [Int]
    let testSlices: [Int]
    let epochs: Int
    let output: URL

    static let classNames = ["background", "gray matter", "white matter"]

    /// `[N, 3, H, W]` one-hot of a class map `[N, H, W]`.
    private func oneHot(_ labels: Tensor) -> Tensor {
        TorchNN.oneHot(labels.unsqueeze(1), classes: Self.classNames.count, dtype: .float32)
    }

    /// Trains, evaluates, writes the overlay and returns the held-out Dice per tissue.
    func run() throws -> EvaluationReport {
        print("\n== Segmentation: gray and white matter from the T1 slices (labels from the template's probability maps)")
        manualSeed(0)
        let model = BasicUNet(spatialDims: 2, inChannels: 1, outChannels: 3, features: [8, 8, 16, 32, 64, 8])
        let directory = output.appendingPathComponent("segmentation")
        let trainer = try Trainer(
            model: model, optimizer: Adam(parameters: model.namedParameters(), lr: 3e-3),
            configuration: TrainerConfiguration(
                epochs: epochs, monitor: MonitoredMetric("dice", .maximize), checkpointDirectory: directory.path))
        trainer.observers = [ProgressBar(), try CSVLog(path: directory.appendingPathComponent("log.csv").path)]
        print("2D U-Net (MONAI BasicUNet, 8 first-level features): \(model.parameterCount) parameters, \(trainingSlices.count) training slices")
        let loss = DiceCELoss(DiceOptions(toOnehotY: true, activation: .softmax))
        let batchSize = 4
        try trainer.fit(
            batchesPerEpoch: (trainingSlices.count + batchSize - 1) / batchSize,
            trainingBatches: { epoch, body in
                let order = Tensor.randperm(trainingSlices.count, generator: Generator(seed: UInt64(epoch)))
                    .toArray(of: Int64.self).map { trainingSlices[Int($0)] }
                for start in stride(from: 0, to: order.count, by: batchSize) {
                    let index = Tensor(order[start..<min(start + batchSize, order.count)].map(Int64.init), shape: nil)
                    try body((anatomy.t1.indexSelect(dim: 0, index: index).unsqueeze(1),
                              anatomy.labels.indexSelect(dim: 0, index: index).unsqueeze(1)))
                }
            },
            loss: { model, batch in loss(model(batch.0), batch.1) },
            validate: { model in ["dice": try meanDice(model).reduce(0, +) / 2] })

        var report = EvaluationReport()
        let predictions = withoutGradient { predict(model.eval(), testSlices) }
        for (position, slice) in testSlices.enumerated() {
            let dice = try SegmentationMetrics.dice(
                prediction: oneHot(predictions[position..<position + 1]),
                target: oneHot(anatomy.labels[slice..<slice + 1]), includeBackground: false, reduction: .none)
                .toArray(of: Double.self)
            report.add(method: "U-Net", volume: "slice \(anatomy.sliceIndices[slice])",
                       metrics: ["dice gray matter": dice[0], "dice white matter": dice[1]])
        }
        try report.write(stem: directory.appendingPathComponent("dice").path)
        let middle = testSlices.count / 2
        let image = anatomy.t1[testSlices[middle]]
        let overlay = ImageGrid([
            .init("T1", image, range: 0...1),
            .init("truth", image, range: 0...1, labels: anatomy.labels[testSlices[middle]]),
            .init("U-Net", image, range: 0...1, labels: predictions[middle]),
        ]).render()
        let path = directory.appendingPathComponent("overlay.png")
        try PNGFile.write(overlay.tensor, to: path)
        print("Figure: \(path.path)  (orange: gray matter, green: white matter)")
        return report
    }

    /// The class map `[slices, H, W]` the model predicts for `slices`.
    private func predict(_ model: BasicUNet, _ slices: [Int]) -> Tensor {
        let index = Tensor(slices.map(Int64.init), shape: nil)
        return model(anatomy.t1.indexSelect(dim: 0, index: index).unsqueeze(1)).argmax(dim: 1)
    }

    /// Held-out Dice of gray and white matter.
    private func meanDice(_ model: BasicUNet) throws -> [Double] {
        let index = Tensor(testSlices.map(Int64.init), shape: nil)
        let dice = try SegmentationMetrics.dice(
            prediction: oneHot(predict(model, testSlices)), target: oneHot(anatomy.labels.indexSelect(dim: 0, index: index)),
            includeBackground: false, reduction: .meanBatch)
        return dice.toArray(of: Double.self)
    }
}
