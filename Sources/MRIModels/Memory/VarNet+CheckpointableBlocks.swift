extension VarNet: CheckpointableBlocks {
    /// The cascades, `cascades.0` … `cascades.{numCascades − 1}` (the sensitivity model is not
    /// checkpointable: it runs once, before them).
    public var checkpointableBlockNames: [String] { cascades.indices.map { "cascades.\($0)" } }

    /// Whether each cascade is checkpointed in training.
    public var blockCheckpointing: [Bool] {
        get { cascades.map(\.isCheckpointed) }
        set {
            precondition(newValue.count == cascades.count, "blockCheckpointing needs one flag per cascade")
            for (cascade, enabled) in zip(cascades, newValue) { cascade.isCheckpointed = enabled }
        }
    }
}
