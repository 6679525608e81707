extension RecipeSection {
    /// The sections of a training recipe's top level, checking that it has no other keys and
    /// that `task` and `model.name` are `task` and one of `models`.
    ///
    /// ```yaml
    /// task: reconstruction
    /// model: {name: unet, ...}
    /// data: {...}
    /// training: {...}
    /// output: runs/unet
    /// ```
    public func trainingSections(task: String, models: [String]) throws -> TrainingSections {
        try requireKnownKeys(["task", "model", "data", "training", "output"])
        let written = try string("task")
        guard written == task else { throw error("task", value: written, allowed: task) }
        func required(_ key: String, _ allowed: String) throws -> RecipeSection {
            guard let found = try section(key) else { throw error(key, value: nil, allowed: allowed) }
            return found
        }
        let model = try required("model", "a mapping with name: " + models.joined(separator: " or "))
        let name = try model.string("name")
        guard models.contains(name) else {
            throw model.error("name", value: name, allowed: "one of " + models.joined(separator: ", "))
        }
        return TrainingSections(
            model: model, modelName: name, data: try required("data", "a mapping of the data's folders or files"),
            training: try required("training", "a mapping with epochs and optimizer"), output: try string("output"))
    }
}

/// The parts of a training recipe (see ``RecipeSection/trainingSections(task:models:)``).
public struct TrainingSections {
    /// The `model` section.
    public var model: RecipeSection
    /// `model.name`.
    public var modelName: String
    /// The `data` section.
    public var data: RecipeSection
    /// The `training` section.
    public var training: RecipeSection
    /// Where checkpoints, logs and figures go.
    public var output: String
}
