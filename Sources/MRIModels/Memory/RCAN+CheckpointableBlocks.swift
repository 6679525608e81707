extension RCAN: CheckpointableBlocks {
    /// The residual groups, `body.0` … `body.{nResgroups − 1}`.
    public var checkpointableBlockNames: [String] { groups.indices.map { "body.\($0)" } }

    /// Whether each residual group is checkpointed in training (``ResidualGroup/gradientCheckpointing``).
    public var blockCheckpointing: [Bool] {
        get { groups.map(\.gradientCheckpointing) }
        set {
            precondition(newValue.count == groups.count, "blockCheckpointing needs one flag per residual group")
            for (group, enabled) in zip(groups, newValue) { group.gradientCheckpointing = enabled }
        }
    }
}
