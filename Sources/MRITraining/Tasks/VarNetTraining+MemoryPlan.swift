extension VarNetTraining {
    /// Plans checkpointing and micro-batching so a training step of `recipe` fits `budget`
    /// (``MemoryPlanner``), measuring on a scratch copy of the run (the same seed, model and first
    /// training batch) that is released afterwards, so the real run starts from untouched weights.
    ///
    /// - Parameters:
    ///   - recipe: the run to plan for.
    ///   - budget: the peak a training step may reach (the resident set on the CPU).
    ///   - log: receives the planner's measurements.
    /// - Returns: the plan; apply it with ``applying(_:to:)`` and ``MemoryPlan/apply(to:)``.
    /// - Throws: `MemoryPlanError` when nothing fits, `DataError` for unreadable data.
    public static func memoryPlan(
        for recipe: ReconstructionRecipe, budget: MemorySize, log: (String) -> Void = { print($0) }
    ) throws -> MemoryPlan {
        let scratch = try VarNetTraining(recipe: recipe)
        let batches = scratch.trainingLoader.makeEpoch(0)
        guard let batch = try batches.next() else {
            throw DataError(file: recipe.data.trainFolder, "holds no fastMRI .h5 slices")
        }
        let loss = loss(named: recipe.training.loss)
        let optimizer = scratch.trainer.optimizer
        _ = scratch.model.train()
        let planner = MemoryPlanner(budget: budget, meter: memoryMeter(for: batch.maskedKSpace.device))
        return try planner.plan(scratch.model, batchSize: recipe.data.batchSize, log: log) { microBatch in
            let part = batch.prefix(microBatch)
            try loss(predict(scratch.model, part), part).backward()
            optimizer.step()
            optimizer.zeroGrad()
        }
    }

    /// `recipe` with the plan's micro-batch: batches of `plan.microBatchSize`, and as many more
    /// accumulation steps per optimizer step, so each step still sees `recipe.batchSize` samples.
    public static func applying(_ plan: MemoryPlan, to recipe: ReconstructionRecipe) -> ReconstructionRecipe {
        var planned = recipe
        planned.data.batchSize = plan.microBatchSize
        planned.training.configuration.accumulationSteps *= plan.accumulationSteps
        return planned
    }
}

extension VarNetBatch {
    /// The first `count` samples (all of them when the batch holds fewer).
    func prefix(_ count: Int) -> VarNetBatch {
        let end = min(count, fileNames.count)
        var head = self
        head.maskedKSpace = maskedKSpace[0..<end]
        if mask.size(0) > 1 { head.mask = mask[0..<end] }
        head.numLowFrequencies = Array(numLowFrequencies.prefix(end))
        head.target = target[0..<end]
        head.fileNames = Array(fileNames.prefix(end))
        head.sliceNumbers = Array(sliceNumbers.prefix(end))
        head.maxValue = maxValue[0..<end]
        head.cropSizes = Array(cropSizes.prefix(end))
        return head
    }
}
