import Foundation

/// Trains a model: epochs of optimizer steps over training batches, validation every few
/// epochs, best-model selection, early stopping, gradient accumulation and clipping, and a
/// checkpoint after every epoch from which `resume(from:)` continues exactly.
///
/// The trainer holds no data or task logic: `fit` is given the batches of each epoch, the loss
/// of a batch and the validation metrics. Resuming gives the same weights as an uninterrupted run
/// when the batches of an epoch depend only on the epoch (a seeded sampler, as MRIData's are):
/// checkpoints hold the model, optimizer, schedule, the CPU generator and the history.
///
/// ```swift
/// let trainer = try Trainer(model: net, optimizer: Adam(net.namedParameters(), lr: 1e-3),
///                           configuration: .init(epochs: 10, monitor: .init("ssim", .maximize),
///                                                checkpointDirectory: "runs/varnet"))
/// trainer.observers = [ProgressBar(), try CSVLog(path: "runs/varnet/log.csv")]
/// try trainer.fit(
///     trainingBatches: { epoch, body in for batch in loader.batches(epoch: epoch) { try body(batch) } },
///     loss: { model, batch in Functional.l1Loss(model(batch.input), target: batch.target) },
///     validate: { model in ["ssim": meanSSIM(model)] })
/// ```
public final class Trainer<Model: Module> {
    /// The model being trained.
    public let model: Model
    /// The optimizer stepping the model's parameters.
    public let optimizer: any Optimizer
    /// The learning-rate schedule, stepped per `configuration.scheduleUnit`.
    public let scheduler: LRScheduler?
    /// The run's settings.
    public let configuration: TrainerConfiguration
    /// Progress displays and logs, called in order.
    public var observers: [any TrainingObserver] = []
    /// Every finished epoch and the best monitored value.
    public private(set) var history = TrainingHistory()
    /// Optimizer steps taken since the run began.
    public private(set) var globalStep = 0
    /// The loss scaler of float16 mixed precision (`nil` otherwise).
    public let gradScaler: GradScaler?

    // MARK: Distributed data parallel (Distributed/DataParallel.swift)

    /// Training across processes: gradients are averaged across ranks (during the backward of
    /// the last micro-batch before each optimizer step), and only the leader (rank 0) writes
    /// checkpoints. nil: a single-process run.
    public var dataParallel: DataParallel?

    /// Whether this process writes checkpoints (every process unless it is a non-leader rank).
    private var writesCheckpoints: Bool { dataParallel?.isLeader ?? true }

    // MARK: -

    /// Epochs finished (where `fit` goes on from).
    public var completedEpochs: Int { history.epochs.count }

    /// A trainer for `model`; throws `TrainingError.configuration` for a bad configuration.
    public init(
        model: Model, optimizer: any Optimizer, scheduler: LRScheduler? = nil, configuration: TrainerConfiguration
    ) throws {
        try configuration.validate()
        self.model = model
        self.optimizer = optimizer
        self.scheduler = scheduler
        self.configuration = configuration
        gradScaler = configuration.mixedPrecision == .float16 ? GradScaler() : nil
    }

    /// The path of the checkpoint written after every epoch, when checkpoints are on.
    public var lastCheckpointPath: String? { checkpointPath("last.pt") }
    /// The path of the checkpoint of the best validation so far, when checkpoints are on.
    public var bestCheckpointPath: String? { checkpointPath("best.pt") }

    /// Restores the whole training state from a checkpoint this trainer's kind wrote, so that
    /// `fit` continues after its last epoch; throws `TrainingError.checkpoint` naming the entry.
    public func resume(from path: String) throws {
        try TrainingCheckpoint.restore(self, from: path)
    }

    /// Writes the whole training state to `path` atomically.
    public func saveCheckpoint(to path: String) throws {
        try TrainingCheckpoint.save(self, to: path)
    }

    func restore(history: TrainingHistory, globalStep: Int) {
        self.history = history
        self.globalStep = globalStep
    }

    /// Trains from `completedEpochs` to `configuration.epochs` (or until early stopping).
    ///
    /// - Parameters:
    ///   - batchesPerEpoch: micro-batches per epoch, for progress and ETA (optional).
    ///   - trainingBatches: calls its `body` with every training batch of epoch `epoch` (from 0).
    ///   - loss: the scalar loss of a batch, with its autograd graph; the model is in training mode.
    ///   - validate: the validation metrics by name; runs in evaluation mode without gradients.
    /// - Returns: the history, also in `history`.
    @discardableResult
    public func fit<Batch>(
        batchesPerEpoch: Int? = nil,
        trainingBatches: (_ epoch: Int, _ body: (Batch) throws -> Void) throws -> Void,
        loss: (Model, Batch) throws -> Tensor,
        validate: ((Model) throws -> [String: Double])? = nil
    ) throws -> TrainingHistory {
        if let directory = configuration.checkpointDirectory {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let wasDeterministic = Runtime.deterministicAlgorithms
        if configuration.deterministic { Runtime.deterministicAlgorithms = true }
        defer { Runtime.deterministicAlgorithms = wasDeterministic }
        observers.forEach { $0.trainingWillStart(epochs: configuration.epochs, startEpoch: completedEpochs, history: history) }
        while completedEpochs < configuration.epochs, !history.stoppedEarly {
            let started = ContinuousClock.now
            let epoch = completedEpochs
            let learningRate = optimizer.paramGroups.first?.lr ?? 0
            let (meanLoss, batches) = try trainEpoch(
                epoch, batchesPerEpoch: batchesPerEpoch, trainingBatches: trainingBatches, loss: loss)
            if configuration.scheduleUnit == .epoch { scheduler?.step() }
            let trainingSeconds = (ContinuousClock.now - started).seconds
            var record = EpochRecord(
                epoch: epoch + 1, globalStep: globalStep, trainingLoss: meanLoss, learningRate: learningRate,
                metrics: nil, batchesPerSecond: Double(batches) / max(trainingSeconds, 1e-9), seconds: 0)
            let improved = try validateIfDue(epoch, validate: validate, into: &record)
            record.seconds = (ContinuousClock.now - started).seconds
            history.epochs.append(record)
            if writesCheckpoints, let path = lastCheckpointPath { try saveCheckpoint(to: path) }
            if writesCheckpoints, configuration.keepEpochCheckpoints,
               let path = checkpointPath(String(format: "epoch_%03d.pt", epoch + 1)) {
                try saveCheckpoint(to: path)
            }
            if writesCheckpoints, improved, let path = bestCheckpointPath { try saveCheckpoint(to: path) }
            for observer in observers { try observer.trainingDidFinishEpoch(record, history: history) }
        }
        observers.forEach { $0.trainingDidFinish(history: history) }
        return history
    }

    /// One epoch of steps; returns the mean loss and the number of micro-batches.
    private func trainEpoch<Batch>(
        _ epoch: Int, batchesPerEpoch: Int?,
        trainingBatches: (Int, (Batch) throws -> Void) throws -> Void,
        loss: (Model, Batch) throws -> Tensor
    ) throws -> (Double, Int) {
        _ = model.train()
        optimizer.zeroGrad()
        var accumulation = GradientAccumulation(steps: configuration.accumulationSteps)
        var lossSum = 0.0
        var batches = 0
        let started = ContinuousClock.now
        var lastReport = started
        func progress() -> StepProgress {
            StepProgress(
                epoch: epoch, epochs: configuration.epochs, batch: batches, batchesPerEpoch: batchesPerEpoch,
                meanLoss: lossSum / Double(max(batches, 1)),
                batchesPerSecond: Double(batches) / max((ContinuousClock.now - started).seconds, 1e-9))
        }
        // The batch body calls `loss`; Swift cannot prove a non-escaping closure inside another is not re-entered.
        try withoutActuallyEscaping(loss) { loss in
            try trainingBatches(epoch) { batch in
                let value = try autocast { try loss(model, batch) }
                let scalar = value.detach().to(dtype: .float64).item(Double.self)
                guard scalar.isFinite else {
                    throw TrainingError.nonFiniteLoss(epoch: epoch, step: globalStep, value: scalar)
                }
                let scaled = accumulation.scaled(value)
                let backpropagated = gradScaler?.scale(scaled) ?? scaled
                if let dataParallel {
                    try dataParallel.backward(backpropagated, synchronizing: accumulation.pending + 1 == accumulation.steps)
                } else {
                    backpropagated.backward()
                }
                lossSum += scalar
                batches += 1
                if accumulation.accumulate() { try step() }
                if (ContinuousClock.now - lastReport) > .milliseconds(250) {
                    lastReport = ContinuousClock.now
                    let current = progress()
                    observers.forEach { $0.trainingDidStep(current) }
                }
            }
        }
        if accumulation.hasPending { try step() }
        let final = progress()
        observers.forEach { $0.trainingDidStep(final) }
        return (lossSum / Double(max(batches, 1)), batches)
    }

    /// Averages gradients across ranks (when data-parallel), clips, steps the optimizer (and a
    /// per-step schedule) and clears the gradients.
    private func step() throws {
        try dataParallel?.synchronizeGradients()
        gradScaler?.unscale_(optimizer)
        if let maxNorm = configuration.gradientClipNorm {
            clipGradNorm(optimizer.paramGroups.flatMap { $0.parameters.map(\.tensor) }, maxNorm: maxNorm)
        }
        if let gradScaler {
            // A step whose gradients overflowed float16 is skipped and the scale backs off.
            gradScaler.step(optimizer)
            gradScaler.update()
        } else {
            optimizer.step()
        }
        optimizer.zeroGrad()
        globalStep += 1
        if configuration.scheduleUnit == .step { scheduler?.step() }
    }

    /// Validates when epoch `epoch` is due, updating the best value and early stopping; returns
    /// whether the monitored metric improved.
    private func validateIfDue(
        _ epoch: Int, validate: ((Model) throws -> [String: Double])?, into record: inout EpochRecord
    ) throws -> Bool {
        guard let validate,
              (epoch + 1) % configuration.validateEvery == 0 || epoch + 1 == configuration.epochs
        else { return false }
        _ = model.eval()
        defer { _ = model.train() }
        let metrics = try withoutGradient { try validate(model) }
        record.metrics = metrics
        guard let monitor = configuration.monitor else { return false }
        guard let value = metrics[monitor.name] else {
            throw TrainingError.missingMetric(name: monitor.name, reported: Array(metrics.keys))
        }
        if monitor.improves(value, on: history.bestValue) {
            history.bestValue = value
            history.bestEpoch = epoch + 1
            history.validationsWithoutImprovement = 0
            return true
        }
        history.validationsWithoutImprovement += 1
        if let patience = configuration.earlyStoppingPatience, history.validationsWithoutImprovement >= patience {
            history.stoppedEarly = true
        }
        return false
    }

    /// `body` under autocast on the model's device when mixed precision is on.
    private func autocast<Result>(_ body: () throws -> Result) rethrows -> Result {
        guard let dtype = configuration.mixedPrecision else { return try body() }
        return try withAutocast(device: model.parameters().first?.device ?? .cpu, dtype: dtype, body)
    }

    private func checkpointPath(_ name: String) -> String? {
        configuration.checkpointDirectory.map { URL(fileURLWithPath: $0).appendingPathComponent(name).path }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
