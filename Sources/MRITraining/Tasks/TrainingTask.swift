/// A training run built from a recipe, as `mrikit train` drives it: resume, observers, run.
public protocol TrainingTask: AnyObject {
    /// The network trained.
    associatedtype Model: Module
    /// The trainer (its observers may be set, and a checkpoint resumed, before `run`).
    var trainer: Trainer<Model> { get }
    /// The network's name, e.g. `"VarNet"`.
    var modelName: String { get }
    /// Where checkpoints, logs and figures go.
    var output: String { get }
    /// Trains (continuing from the trainer's state, e.g. after `trainer.resume(from:)`).
    @discardableResult func run() throws -> TrainingHistory
}
