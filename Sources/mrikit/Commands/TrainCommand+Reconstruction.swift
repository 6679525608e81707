import ArgumentParser
import MRITraining

extension TrainCommand {
    /// The training run of a `task: reconstruction` recipe (chosen by `model.name`), with
    /// `--epochs` applied.
    func reconstructionTask(_ section: RecipeSection) throws -> any TrainingTask {
        var recipe = try AnyReconstructionRecipe(section)
        if let epochs {
            guard epochs > 0 else { throw ValidationError("--epochs must be positive") }
            recipe.training.configuration.epochs = epochs
        }
        return try recipe.makeTraining()
    }
}
