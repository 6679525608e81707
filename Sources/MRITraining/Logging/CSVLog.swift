import Foundation

/// The history as a CSV file, one row per epoch, rewritten atomically after every epoch so a
/// crash never leaves a torn row and a resumed run continues the same file.
///
/// Columns: `epoch, global_step, train_loss, lr, batches_per_second, seconds`, then one column per
/// validation metric (sorted by name; empty on epochs that did not validate).
public final class CSVLog: TrainingObserver {
    /// The CSV file's path.
    public let path: String

    /// A log written to `path` (its directory is created if missing).
    public init(path: String) throws {
        self.path = path
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
    }

    public func trainingDidFinishEpoch(_ record: EpochRecord, history: TrainingHistory) throws {
        try AtomicFileWriter.write(Array(Self.table(history).utf8), to: URL(fileURLWithPath: path))
    }

    /// The CSV text of `history`.
    static func table(_ history: TrainingHistory) -> String {
        let metrics = history.metricNames
        var text = (["epoch", "global_step", "train_loss", "lr", "batches_per_second", "seconds"] + metrics)
            .joined(separator: ",") + "\n"
        for record in history.epochs {
            var row = [String(record.epoch), String(record.globalStep)]
            row += [record.trainingLoss, record.learningRate, record.batchesPerSecond, record.seconds].map { "\($0)" }
            row += metrics.map { name in record.metrics?[name].map { "\($0)" } ?? "" }
            text += row.joined(separator: ",") + "\n"
        }
        return text
    }
}
