import Testing

@testable import MRITraining

@Suite("Optimizer and schedule recipes")
struct OptimizerRecipeTests {
    @Test("an SGD + one-cycle recipe (seed 004) builds SGD with momentum and a per-step one-cycle schedule")
    func sgdOneCycle() throws {
        let recipe = try RecipeSection(yaml: """
            optimizer: {name: sgd, lr: 0.1, momentum: 0.9}
            schedule: {name: one_cycle, max_lr: 0.1}
            """, file: "lgg.yaml")
        let optimizerRecipe = try OptimizerRecipe(try #require(try recipe.section("optimizer")))
        let schedule = try ScheduleRecipe(try #require(try recipe.section("schedule")))
        #expect(optimizerRecipe.name == .sgd && optimizerRecipe.momentum == 0.9)
        #expect(schedule.unit == .step)
        let parameter = Tensor.zeros([3]).requiringGrad()
        let optimizer = optimizerRecipe.make(parameters: [("w", parameter)])
        #expect(optimizer is SGD)
        let scheduler = try #require(schedule.make(optimizer: optimizer, epochs: 2, stepsPerEpoch: 5))
        // One-cycle starts at max_lr / div_factor (25).
        #expect(abs(optimizer.paramGroups[0].lr - 0.004) < 1e-12)
        for _ in 0..<3 { scheduler.step() }
        #expect(optimizer.paramGroups[0].lr > 0.05)
    }

    @Test("unknown optimizer names and keys are refused with the allowed ones listed")
    func refusals() throws {
        let recipe = try RecipeSection(yaml: "optimizer: {name: adamx, lr: 1}\nschedule: {name: cosine, stepsize: 3}\n",
                                       file: "bad.yaml")
        #expect(throws: RecipeError(file: "bad.yaml", line: 1, key: "optimizer.name", value: "adamx",
                                    allowed: "one of adam, adamw, sgd, rmsprop")) {
            _ = try OptimizerRecipe(try #require(try recipe.section("optimizer")))
        }
        #expect(throws: RecipeError.self) { _ = try ScheduleRecipe(try #require(try recipe.section("schedule"))) }
    }
}
