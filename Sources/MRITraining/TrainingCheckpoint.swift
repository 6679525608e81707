import Foundation

/// A whole training state in one PyTorch-layout `.pt` file, written atomically: the model,
/// the optimizer, the schedule, the CPU random-number generator, the step counter and the
/// history (which carries the epoch count and the best value).
///
/// Keys: `model.<state-dict key>`, `optimizer.<key>`, `scheduler.<key>`, `scaler.<key>` (float16
/// mixed precision: the loss scale and its growth tracker), `rng.cpu`,
/// `trainer.global_step` and `trainer.history` (the history as UTF-8 JSON bytes, `uint8`).
/// `torch.load` reads it as a flat dictionary of tensors.
enum TrainingCheckpoint {
    /// Writes the state of `trainer` to `path` (a temporary file renamed into place).
    static func save<Model: Module>(_ trainer: Trainer<Model>, to path: String) throws {
        var entries: [(String, Tensor)] = []
        func add(_ prefix: String, _ stateDict: StateDict) { entries += stateDict.prefixed(prefix).entries }
        add("model", trainer.model.stateDict())
        add("optimizer", trainer.optimizer.stateDict())
        if let scheduler = trainer.scheduler { add("scheduler", scheduler.stateDict()) }
        if let scaler = trainer.gradScaler { add("scaler", scaler.stateDict()) }
        entries.append(("rng.cpu", Generator.cpuDefault.state))
        entries.append(("trainer.global_step", Tensor([Int64(trainer.globalStep)], shape: [])))
        let history = try JSONEncoder().encode(trainer.history)
        entries.append(("trainer.history", Tensor(Array(history), shape: [history.count])))
        try TorchCheckpoint.save(StateDict(entries), toPath: path)
    }

    /// Restores `trainer` from a file `save` wrote; throws `TrainingError.checkpoint` naming the
    /// file and the entry that is missing or does not fit.
    static func restore<Model: Module>(_ trainer: Trainer<Model>, from path: String) throws {
        let saved = try TorchCheckpoint.load(fromPath: path)
        func entry(_ name: String) throws -> Tensor {
            guard let tensor = saved[name] else {
                throw TrainingError.checkpoint(file: path, entry: name, reason: "missing; not a checkpoint MRIKit wrote")
            }
            return tensor
        }
        func wrap(_ entry: String, _ body: () throws -> Void) throws {
            do { try body() } catch let error as TrainingError { throw error } catch {
                throw TrainingError.checkpoint(file: path, entry: entry, reason: "\(error)")
            }
        }
        let history = try entry("trainer.history")
        let globalStep = try entry("trainer.global_step")
        let rng = try entry("rng.cpu")
        try wrap("model") { _ = try trainer.model.loadStateDict(saved.section("model")) }
        try wrap("optimizer") { try trainer.optimizer.loadStateDict(saved.section("optimizer")) }
        if let scheduler = trainer.scheduler {
            try wrap("scheduler") { try scheduler.loadStateDict(saved.section("scheduler")) }
        }
        if let scaler = trainer.gradScaler, !saved.section("scaler").isEmpty {
            try wrap("scaler") { try scaler.loadStateDict(saved.section("scaler")) }
        }
        try wrap("trainer.history") {
            trainer.restore(
                history: try JSONDecoder().decode(TrainingHistory.self, from: Data(history.toArray(of: UInt8.self))),
                globalStep: Int(globalStep.item(Int64.self)))
        }
        Generator.cpuDefault.state = rng
    }
}
