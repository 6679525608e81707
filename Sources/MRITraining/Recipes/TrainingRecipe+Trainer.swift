extension TrainingRecipe {
    /// A trainer of `model` with the recipe's optimizer over the model's trainable parameters
    /// (frozen ones, e.g. seed 000's VarNet, are left out), its schedule over the run's optimizer
    /// steps, and its trainer settings.
    ///
    /// - Parameter batchesPerEpoch: training micro-batches per epoch (one-cycle schedules need it).
    /// - Throws: `TrainingError.configuration` for a bad configuration, e.g. a warm-up as long as
    ///   the run (which `--epochs` may shorten after the recipe was read).
    public func makeTrainer<Model: Module>(model: Model, batchesPerEpoch: Int) throws -> Trainer<Model> {
        if schedule.name == .warmupCosine, schedule.warmupEpochs >= configuration.epochs {
            throw TrainingError.configuration(
                field: "schedule.warmup_epochs",
                allowed: "fewer than the \(configuration.epochs) epochs, got \(schedule.warmupEpochs)")
        }
        let optimizer = self.optimizer.make(parameters: model.trainableParameters())
        let steps = (batchesPerEpoch + configuration.accumulationSteps - 1) / configuration.accumulationSteps
        let scheduler = schedule.make(optimizer: optimizer, epochs: configuration.epochs, stepsPerEpoch: steps)
        return try Trainer(model: model, optimizer: optimizer, scheduler: scheduler, configuration: configuration)
    }
}
