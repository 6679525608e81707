import Foundation

/// What one finished epoch measured.
public struct EpochRecord: Sendable, Codable, Equatable {
    /// The epoch's number, from 1.
    public var epoch: Int
    /// Optimizer steps taken since the run began, at the epoch's end.
    public var globalStep: Int
    /// The mean training loss over the epoch's micro-batches.
    public var trainingLoss: Double
    /// The first parameter group's learning rate during the epoch.
    public var learningRate: Double
    /// The validation metrics, when the epoch validated.
    public var metrics: [String: Double]?
    /// Training samples (micro-batches) per second.
    public var batchesPerSecond: Double
    /// Wall-clock seconds the epoch took, validation included.
    public var seconds: Double
}

/// The record of a run so far: every epoch, and the best monitored value. It travels inside
/// each checkpoint, so a resumed run continues the same logs.
public struct TrainingHistory: Sendable, Codable, Equatable {
    /// The finished epochs, in order.
    public var epochs: [EpochRecord] = []
    /// The best value of the monitored metric so far.
    public var bestValue: Double?
    /// The epoch (from 1) that reached `bestValue`.
    public var bestEpoch: Int?
    /// Validations since `bestValue` last improved (drives early stopping).
    public var validationsWithoutImprovement = 0
    /// Whether early stopping ended the run.
    public var stoppedEarly = false

    /// An empty history.
    public init() {}

    /// The names of every validation metric seen, sorted (the CSV's metric columns).
    public var metricNames: [String] {
        Array(Set(epochs.flatMap { $0.metrics.map { Array($0.keys) } ?? [] })).sorted()
    }
}
