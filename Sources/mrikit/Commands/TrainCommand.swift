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
    @Option(help: """
        The peak memory a training step may reach, e.g. 8GB or 512MiB (the resident set on the CPU): \
        checkpoint cascades, and split batches into micro-batches if needed, to fit.
        """)
    var memoryBudget: String?

    func run() throws {
        if threads > 0 { Runtime.threadCount = threads }
        let section = try RecipeSection(contentsOfFile: recipe)
        var parsed = try ReconstructionRecipe(section)
        if let epochs {
            guard epochs > 0 else { throw ValidationError("--epochs must be positive") }
            parsed.training.configuration.epochs = epochs
        }
        let plan = try memoryBudget.map { try VarNetTraining.memoryPlan(
            for: parsed, budget: MemorySize(parsing: $0, field: "--memory-budget")) }
        if let plan {
            print(plan)
            parsed = VarNetTraining.applying(plan, to: parsed)
        }
        let training = try VarNetTraining(recipe: parsed)
        plan?.apply(to: training.model)
        let output = URL(fileURLWithPath: parsed.output)
        let trainer = training.trainer
        if resume {
            guard let last = trainer.lastCheckpointPath, FileManager.default.fileExists(atPath: last) else {
                throw ValidationError("--resume: no checkpoint at \(parsed.output)/last.pt")
            }
            try trainer.resume(from: last)
        }
        trainer.observers = [
            ProgressBar(), try CSVLog(path: output.appendingPathComponent("log.csv").path),
            try TensorBoardLog(directory: output.appendingPathComponent("tensorboard").path),
            TrainingCurves(path: output.appendingPathComponent("training.png").path),
        ]
        print("VarNet: \(training.model.parameterCount) parameters; output in \(parsed.output)")
        try training.run()
    }
}
