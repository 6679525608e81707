import Foundation
import Testing

@testable import MRITraining
import TorchTestSupport

/// A small regression problem whose batches depend only on the epoch, as a seeded sampler's do.
fileprivate struct Problem {
    let inputs = Tensor.randn([24, 6], generator: Generator(seed: 1))
    var targets: Tensor { (inputs * 0.5).sum(dim: [1], keepdim: true) }

    /// Batches of `batchSize` in an order drawn from `epoch`.
    func batches(epoch: Int, batchSize: Int = 4) -> [(Tensor, Tensor)] {
        let order = Tensor.randperm(24, generator: Generator(seed: UInt64(100 + epoch))).toArray(of: Int64.self)
        return stride(from: 0, to: 24, by: batchSize).map { start in
            let index = Tensor(Array(order[start..<start + batchSize]), shape: [batchSize])
            return (inputs.indexSelect(dim: 0, index: index), targets.indexSelect(dim: 0, index: index))
        }
    }
}

/// Linear → ReLU → Dropout → Linear: dropout makes the run depend on the global generator.
private func makeModel(seed: UInt64) -> Sequential {
    let generator = Generator(seed: seed)
    return Sequential(Linear(6, 8, generator: generator), ReLU(), Dropout(p: 0.2), Linear(8, 1, generator: generator))
}

private func makeTrainer(
    _ model: Sequential, epochs: Int, directory: String?, monitor: MonitoredMetric? = nil, patience: Int? = nil
) throws -> Trainer<Sequential> {
    let optimizer = Adam(parameters: model.namedParameters(), lr: 1e-2)
    let scheduler = LRScheduler(optimizer, schedule: StepLR(stepSize: 2, gamma: 0.5))
    return try Trainer(
        model: model, optimizer: optimizer, scheduler: scheduler,
        configuration: TrainerConfiguration(
            epochs: epochs, monitor: monitor, earlyStoppingPatience: patience, checkpointDirectory: directory))
}

private struct Interrupted: Error {}

private func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "mrikit-trainer-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

private func expectSameWeights(_ a: Module, _ b: Module) {
    for ((name, x), (_, y)) in zip(a.stateDict(), b.stateDict()) {
        #expect(maxAbsDifference(x, y) == 0, "\(name)")
    }
}

@Suite("Trainer", .serialized)
struct TrainerTests {
    private let problem = Problem()

    private func fit(_ trainer: Trainer<Sequential>, interruptAt: (epoch: Int, batch: Int)? = nil,
                     metrics: [Double]? = nil) throws {
        try trainer.fit(
            batchesPerEpoch: 6,
            trainingBatches: { epoch, body in
                for (index, batch) in problem.batches(epoch: epoch).enumerated() {
                    if let interruptAt, interruptAt == (epoch, index) { throw Interrupted() }
                    try body(batch)
                }
            },
            loss: { model, batch in Functional.mseLoss(model(batch.0), target: batch.1) },
            validate: { model in
                let epoch = trainer.completedEpochs
                let loss = Functional.mseLoss(model(problem.inputs), target: problem.targets).item(Float.self)
                return ["loss": Double(loss), "scripted": metrics.map { $0[epoch] } ?? 0]
            })
    }

    @Test("a run interrupted mid-epoch and resumed from last.pt ends with the uninterrupted run's weights")
    func resumeIsExact() throws {
        let straight = temporaryDirectory(), interrupted = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: straight); try? FileManager.default.removeItem(atPath: interrupted) }

        manualSeed(7)
        let reference = try makeTrainer(makeModel(seed: 3), epochs: 4, directory: straight)
        try fit(reference)

        manualSeed(7)
        let crashed = try makeTrainer(makeModel(seed: 3), epochs: 4, directory: interrupted)
        #expect(throws: Interrupted.self) { try fit(crashed, interruptAt: (2, 3)) }
        #expect(crashed.completedEpochs == 2)

        // A new process: other initial weights and generator state, everything restored from the file.
        manualSeed(99)
        let resumed = try makeTrainer(makeModel(seed: 42), epochs: 4, directory: interrupted)
        try resumed.resume(from: try #require(resumed.lastCheckpointPath))
        #expect(resumed.completedEpochs == 2)
        #expect(resumed.globalStep == 12)
        #expect(resumed.optimizer.paramGroups[0].lr == 5e-3)
        try fit(resumed)

        expectSameWeights(resumed.model, reference.model)
        #expect(resumed.history.epochs.map(\.trainingLoss) == reference.history.epochs.map(\.trainingLoss))
        #expect(resumed.globalStep == 24)
    }

    @Test("early stopping ends the run after `patience` validations without improvement; best.pt holds the best epoch")
    func earlyStoppingAndBest() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        manualSeed(1)
        let trainer = try makeTrainer(
            makeModel(seed: 5), epochs: 8, directory: directory, monitor: MonitoredMetric("scripted", .maximize),
            patience: 2)
        final class Snapshots: TrainingObserver {
            var weights: [Int: StateDict] = [:]
            let model: Module
            init(_ model: Module) { self.model = model }
            func trainingDidFinishEpoch(_ record: EpochRecord, history: TrainingHistory) {
                weights[record.epoch] = StateDict(model.stateDict().map { ($0.name, $0.tensor.clone()) })
            }
        }
        let snapshots = Snapshots(trainer.model)
        trainer.observers = [snapshots]
        try fit(trainer, metrics: [0.5, 0.7, 0.6, 0.65, 0.9, 0.9, 0.9, 0.9])

        #expect(trainer.completedEpochs == 4)
        #expect(trainer.history.stoppedEarly)
        #expect(trainer.history.bestEpoch == 2)
        #expect(trainer.history.bestValue == 0.7)
        let best = try makeTrainer(makeModel(seed: 6), epochs: 8, directory: nil)
        try best.resume(from: try #require(trainer.bestCheckpointPath))
        #expect(best.completedEpochs == 2)
        for (name, tensor) in best.model.stateDict() {
            #expect(maxAbsDifference(tensor, try #require(snapshots.weights[2]?[name])) == 0, "\(name)")
        }
    }

    @Test("accumulating two micro-batches of 2 takes the step of one batch of 4 (mean loss)")
    func gradientAccumulation() throws {
        func train(accumulation: Int, batchSize: Int) throws -> Sequential {
            let model = Sequential(Linear(6, 1, generator: Generator(seed: 11)))
            let trainer = try Trainer(
                model: model, optimizer: SGD(parameters: model.namedParameters(), lr: 0.1),
                configuration: TrainerConfiguration(epochs: 1, accumulationSteps: accumulation))
            try trainer.fit(
                trainingBatches: { epoch, body in
                    for batch in problem.batches(epoch: epoch, batchSize: batchSize) { try body(batch) }
                },
                loss: { model, batch in Functional.mseLoss(model(batch.0), target: batch.1) })
            #expect(trainer.globalStep == 6)
            return model
        }
        let accumulated = try train(accumulation: 2, batchSize: 2)
        let whole = try train(accumulation: 1, batchSize: 4)
        for ((name, a), (_, b)) in zip(accumulated.stateDict(), whole.stateDict()) {
            // Float32 sums in a different order: a few ulps of values of order 1.
            #expect(maxAbsDifference(a, b) < 1e-6, "\(name)")
        }
    }

    @Test("a NaN loss stops the run with an error naming the epoch; the last checkpoint stays intact")
    func nonFiniteLoss() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let trainer = try makeTrainer(makeModel(seed: 5), epochs: 3, directory: directory)
        #expect(throws: TrainingError.nonFiniteLoss(epoch: 1, step: 6, value: .infinity)) {
            try trainer.fit(
                trainingBatches: { epoch, body in for batch in problem.batches(epoch: epoch) { try body(batch) } },
                loss: { model, batch in
                    let loss = Functional.mseLoss(model(batch.0), target: batch.1)
                    return trainer.completedEpochs == 1 ? loss / 0.0 : loss
                })
        }
        let restored = try makeTrainer(makeModel(seed: 6), epochs: 3, directory: nil)
        try restored.resume(from: try #require(trainer.lastCheckpointPath))
        #expect(restored.completedEpochs == 1)
    }

    @Test("bad configurations and checkpoints are refused with the field or entry named")
    func badInput() throws {
        let model = makeModel(seed: 1)
        let optimizer = SGD(parameters: model.namedParameters(), lr: 0.1)
        #expect(throws: TrainingError.configuration(field: "epochs", allowed: "a positive integer, got 0")) {
            _ = try Trainer(model: model, optimizer: optimizer, configuration: TrainerConfiguration(epochs: 0))
        }
        #expect(throws: TrainingError.configuration(field: "monitor", allowed: "a metric to watch when early stopping is on")) {
            _ = try Trainer(model: model, optimizer: optimizer,
                            configuration: TrainerConfiguration(epochs: 1, earlyStoppingPatience: 3))
        }
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let foreign = directory + "/foreign.pt"
        try TorchCheckpoint.save(["weight": Tensor.zeros([2])], toPath: foreign)
        let trainer = try Trainer(model: model, optimizer: optimizer, configuration: TrainerConfiguration(epochs: 1))
        #expect(throws: TrainingError.checkpoint(
            file: foreign, entry: "trainer.history", reason: "missing; not a checkpoint MRIKit wrote")) {
            try trainer.resume(from: foreign)
        }
    }
}
