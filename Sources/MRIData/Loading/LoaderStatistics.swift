/// What one epoch of a `DataLoader` has delivered so far.
public struct LoaderStatistics: Sendable, Equatable {
    /// Batches handed to the consumer.
    public var batches = 0
    /// Samples in those batches.
    public var samples = 0
    /// Samples skipped because reading them threw (with `skipBadSamples`).
    public var skippedSamples = 0
    /// Seconds from the start of the epoch to the last batch handed out.
    public var elapsedSeconds = 0.0
    /// Seconds the consumer spent waiting for batches that were not ready: near zero when the
    /// workers keep up, near `elapsedSeconds` when loading is the bottleneck.
    public var waitingSeconds = 0.0

    /// Delivered samples per second of elapsed time.
    public var samplesPerSecond: Double { elapsedSeconds > 0 ? Double(samples) / elapsedSeconds : 0 }
}
