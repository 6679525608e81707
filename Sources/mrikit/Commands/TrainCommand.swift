import ArgumentParser
import Foundation
import MRITraining

/// `mrikit train`: trains the network a recipe describes, with checkpoints every epoch.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a network from a YAML recipe (see recipes/).",
        discussion: """
            Writes last.pt after every epoch and best.pt at each improvement of the monitored metric \
            into the recipe's output folder, with log.csv, TensorBoard events and training.png. \
            A run interrupted at any point continues exactly with --resume.
            """)

    @Argument(help: "The recipe file, e.g. recipes/fastmri_varnet.yaml.") var recipe: String
    @Flag(help: "Continue from <output>/last.pt.") var resume = false
    @Option(help: "Override the recipe's epochs.") var epochs: Int?
    @Option(help: "CPU threads (0: libtorch's default).") var threads = 0
    @Option(help: """
        The peak memory a training step may reach, e.g. 8GB or 512MiB (the resident set on the CPU): \
        checkpoint cascades, and split batches into micro-batches if needed, to fit (VarNet recipes).
        """)
    var memoryBudget: String?
    @OptionGroup var distributed: DistributedOptions

    func run() throws {
        if try distributed.launchWorkersIfAsked() { return }
        if threads > 0 { Runtime.threadCount = threads }
        if let epochs, epochs <= 0 { throw ValidationError("--epochs must be positive") }
        let section = try RecipeSection(contentsOfFile: recipe)
        switch try section.string("task") {
        case "segmentation": try trainSegmentation(section)
        default: try trainReconstruction(section)
        }
    }

    /// A reconstruction recipe, trained by the task its `model.name` picks (VarNet, U-Net, seed 000's
    /// VarNet+RCAN, seed 001's cine networks).
    private func trainReconstruction(_ section: RecipeSection) throws {
        var parsed = try AnyReconstructionRecipe(section)
        if let epochs { parsed.training.configuration.epochs = epochs }
        var plan: MemoryPlan?
        if let memoryBudget {
            guard case .varnet(let varnet) = parsed else {
                throw ValidationError("--memory-budget: the planner checkpoints VarNet cascades; this recipe is not a VarNet's")
            }
            let made = try VarNetTraining.memoryPlan(for: varnet, budget: MemorySize(parsing: memoryBudget, field: "--memory-budget"))
            print(made)
            parsed = .varnet(VarNetTraining.applying(made, to: varnet))
            plan = made
        }
        let task = try parsed.makeTraining(processGroup: try distributed.joinProcessGroup())
        if let plan, let varnet = task as? VarNetTraining { plan.apply(to: varnet.model) }
        try train(task)
    }

    private func train(_ task: some TrainingTask) throws {
        try prepare(task.trainer, output: task.output)
        let model = task.trainer.model
        let frozen = model.parameterCount - model.trainableParameterCount
        if task.trainer.dataParallel?.isLeader ?? true {
            print("\(task.modelName): \(model.parameterCount) parameters\(frozen > 0 ? " (\(frozen) frozen)" : ""); output in \(task.output)")
        }
        try task.run()
    }

    private func trainSegmentation(_ section: RecipeSection) throws {
        if memoryBudget != nil {
            throw ValidationError("--memory-budget: the planner checkpoints VarNet cascades; segmentation recipes are not planned")
        }
        var parsed = try SegmentationRecipe(section)
        if let epochs { parsed.training.configuration.epochs = epochs }
        try train(SegmentationTraining(recipe: parsed, processGroup: try distributed.joinProcessGroup()))
    }

    /// Resumes `trainer` from `<output>/last.pt` when `--resume` is given, and attaches the logs.
    private func prepare<Model>(_ trainer: Trainer<Model>, output: String) throws {
        let folder = URL(fileURLWithPath: output)
        if resume {
            guard let last = trainer.lastCheckpointPath, FileManager.default.fileExists(atPath: last) else {
                throw ValidationError("--resume: no checkpoint at \(output)/last.pt")
            }
            try trainer.resume(from: last)
        }
        // Rank 0 alone logs (every rank trains the same weights; only rank 0 writes checkpoints).
        if trainer.dataParallel?.isLeader ?? true {
            trainer.observers = [
                ProgressBar(), try CSVLog(path: folder.appendingPathComponent("log.csv").path),
                try TensorBoardLog(directory: folder.appendingPathComponent("tensorboard").path),
                TrainingCurves(path: folder.appendingPathComponent("training.png").path),
            ]
        }
    }
}
