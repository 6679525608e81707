/// Where a training step stands, for progress displays.
public struct StepProgress: Sendable {
    /// The current epoch, from 0.
    public var epoch: Int
    /// Epochs in the run.
    public var epochs: Int
    /// Micro-batches done in this epoch.
    public var batch: Int
    /// Micro-batches per epoch, when the data source knows it.
    public var batchesPerEpoch: Int?
    /// The mean training loss over this epoch's micro-batches so far.
    public var meanLoss: Double
    /// Micro-batches per second over this epoch so far.
    public var batchesPerSecond: Double
}

/// Follows a run: progress displays and logs implement the calls they need (all default to nothing).
public protocol TrainingObserver: AnyObject {
    /// The run begins at epoch `startEpoch` (0, or the epoch a checkpoint resumes at).
    func trainingWillStart(epochs: Int, startEpoch: Int, history: TrainingHistory)
    /// A micro-batch finished. Called at most a few times per second, and after an epoch's last batch.
    func trainingDidStep(_ progress: StepProgress)
    /// An epoch finished (and validated, when it was due); `history` holds it as its last record.
    func trainingDidFinishEpoch(_ record: EpochRecord, history: TrainingHistory) throws
    /// The run ended, after the last epoch or by early stopping.
    func trainingDidFinish(history: TrainingHistory)
}

extension TrainingObserver {
    /// Does nothing.
    public func trainingWillStart(epochs: Int, startEpoch: Int, history: TrainingHistory) {}
    /// Does nothing.
    public func trainingDidStep(_ progress: StepProgress) {}
    /// Does nothing.
    public func trainingDidFinishEpoch(_ record: EpochRecord, history: TrainingHistory) throws {}
    /// Does nothing.
    public func trainingDidFinish(history: TrainingHistory) {}
}
