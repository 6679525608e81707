import ArgumentParser
import Foundation
import MRITraining

/// `mrikit train`: trains the network a recipe describes, with checkpoints every epoch.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a network from a YAML recipe (see recipes/).",
        discussion: """
            Writes last.pt after every epoch and best.pt at each improvement of the monitored metric
            into the recipe's output folder, with log.csv, TensorBoard events and training.png.
            A run interrupted at any point continues exactly with --resume.
            """)

    @Argument(help: "The recipe file, e.g. recipes/fastmri_varnet.yaml.") var recipe: String
    @Flag(help: "Continue from <output>/last.pt.") var resume = false
    @Option(help: "Override the recipe's epochs.") var epochs: Int?
    @Option(help: "CPU threads (0: libtorch's default).") var threads = 0

    func run() throws {
        if threads > 0 { Runtime.threadCount = threads }
        let section = try RecipeSection(contentsOfFile: recipe)
        try train(reconstructionTask(section))
    }

    /// Resumes `task` when asked, attaches the progress bar and logs, and trains.
    func train(_ task: some TrainingTask) throws {
        let output = URL(fileURLWithPath: task.output)
        let trainer = task.trainer
        if resume {
            guard let last = trainer.lastCheckpointPath, FileManager.default.fileExists(atPath: last) else {
                throw ValidationError("--resume: no checkpoint at \(task.output)/last.pt")
            }
            try trainer.resume(from: last)
        }
        trainer.observers = [
            ProgressBar(), try CSVLog(path: output.appendingPathComponent("log.csv").path),
            try TensorBoardLog(directory: output.appendingPathComponent("tensorboard").path),
            TrainingCurves(path: output.appendingPathComponent("training.png").path),
        ]
        let model = task.trainer.model
        let frozen = model.parameterCount - model.trainableParameterCount
        print("\(task.modelName): \(model.parameterCount) parameters\(frozen > 0 ? " (\(frozen) frozen)" : ""); output in \(task.output)")
        try task.run()
    }
}
