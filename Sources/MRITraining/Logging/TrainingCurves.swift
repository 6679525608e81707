import Foundation

/// `training.png`: the training loss and each validation metric per epoch, redrawn after every epoch.
public final class TrainingCurves: TrainingObserver {
    /// The PNG's path.
    public let path: String

    /// Curves written to `path`.
    public init(path: String) { self.path = path }

    public func trainingDidFinishEpoch(_ record: EpochRecord, history: TrainingHistory) throws {
        try PNGFile.write(Self.render(history).tensor, to: URL(fileURLWithPath: path))
    }

    /// The loss plot (logarithmic) above one plot per validation metric.
    public static func render(_ history: TrainingHistory) -> Canvas {
        var plots = [LinePlot(title: "training loss", series: [
            .init("train", history.epochs.map { (Double($0.epoch), $0.trainingLoss) })], logarithmic: true)]
        for name in history.metricNames {
            plots.append(LinePlot(title: "validation \(name)", series: [
                .init(name, history.epochs.compactMap { record in record.metrics?[name].map { (Double(record.epoch), $0) } })]))
        }
        return Canvas.stacked(plots.map { $0.render(width: 560, height: 260) })
    }
}
