import Foundation

/// A progress line on standard error: epoch, bar, loss, throughput, memory and the time left
/// (ETA), redrawn in place on a terminal; plus one summary line per epoch (the only output when
/// standard error is a file, so logs stay readable).
public final class ProgressBar: TrainingObserver {
    private let isTerminal: Bool
    private let write: (String) -> Void
    private var epochSeconds: [Double] = []

    /// A progress display writing to standard error.
    public convenience init() {
        self.init(isTerminal: isatty(FileHandle.standardError.fileDescriptor) == 1) { text in
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    /// A progress display writing through `write` (for tests and other sinks).
    public init(isTerminal: Bool, write: @escaping (String) -> Void) {
        self.isTerminal = isTerminal
        self.write = write
    }

    public func trainingWillStart(epochs: Int, startEpoch: Int, history: TrainingHistory) {
        epochSeconds = history.epochs.map(\.seconds)
        if startEpoch > 0 { write("resuming at epoch \(startEpoch + 1)/\(epochs)\n") }
    }

    public func trainingDidStep(_ progress: StepProgress) {
        guard isTerminal else { return }
        var line = "epoch \(progress.epoch + 1)/\(progress.epochs) "
        if let total = progress.batchesPerEpoch, total > 0 {
            let filled = min(20, 20 * progress.batch / total)
            line += "[" + String(repeating: "=", count: filled) + String(repeating: " ", count: 20 - filled) + "] "
            line += "\(progress.batch)/\(total) "
        } else {
            line += "\(progress.batch) batches "
        }
        line += "loss \(Self.format(progress.meanLoss))  \(String(format: "%.1f", progress.batchesPerSecond)) batch/s"
        line += "  mem \(Self.formatBytes(Runtime.residentMemoryBytes))"
        if let eta = eta(progress) { line += "  ETA \(Self.formatDuration(eta))" }
        write("\r\u{1B}[K" + line)
    }

    public func trainingDidFinishEpoch(_ record: EpochRecord, history: TrainingHistory) {
        epochSeconds.append(record.seconds)
        var line = "epoch \(record.epoch)  loss \(Self.format(record.trainingLoss))  lr \(Self.format(record.learningRate))"
        for (name, value) in (record.metrics ?? [:]).sorted(by: { $0.key < $1.key }) {
            line += "  \(name) \(Self.format(value))"
        }
        line += "  \(String(format: "%.1f", record.batchesPerSecond)) batch/s  \(Self.formatDuration(record.seconds))"
        if history.bestEpoch == record.epoch, record.metrics != nil { line += "  (best)" }
        write((isTerminal ? "\r\u{1B}[K" : "") + line + "\n")
    }

    public func trainingDidFinish(history: TrainingHistory) {
        if history.stoppedEarly {
            write("stopped early: no improvement in \(history.validationsWithoutImprovement) validations\n")
        }
        if let best = history.bestValue, let epoch = history.bestEpoch {
            write("best \(Self.format(best)) at epoch \(epoch)\n")
        }
    }

    /// Seconds left: this epoch's remaining batches at the current rate, plus the remaining
    /// epochs at the mean duration of the finished ones (or of this one, estimated).
    private func eta(_ progress: StepProgress) -> Double? {
        guard let total = progress.batchesPerEpoch, progress.batchesPerSecond > 0 else { return nil }
        let thisEpoch = Double(max(total - progress.batch, 0)) / progress.batchesPerSecond
        let perEpoch = epochSeconds.isEmpty
            ? Double(total) / progress.batchesPerSecond : epochSeconds.reduce(0, +) / Double(epochSeconds.count)
        return thisEpoch + Double(progress.epochs - progress.epoch - 1) * perEpoch
    }

    static func format(_ value: Double) -> String {
        value != 0 && (abs(value) < 1e-3 || abs(value) >= 1e5) ? String(format: "%.3e", value) : String(format: "%.4f", value)
    }

    static func formatBytes(_ bytes: Int) -> String {
        bytes >= 1 << 30 ? String(format: "%.2f GB", Double(bytes) / Double(1 << 30))
            : String(format: "%.0f MB", Double(bytes) / Double(1 << 20))
    }

    static func formatDuration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}
