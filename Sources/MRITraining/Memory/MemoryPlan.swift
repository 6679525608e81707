/// How a training step runs within a memory budget: the first `checkpointedBlockCount` of a
/// model's ``CheckpointableBlocks`` checkpointed, and each batch split into micro-batches whose
/// gradients are accumulated. Made by ``MemoryPlanner``, with the peaks it measured and predicted.
public struct MemoryPlan: Sendable, CustomStringConvertible {
    /// The budget the plan was made for, in bytes.
    public var budget: Int
    /// The model's blocks in forward order (``CheckpointableBlocks/checkpointableBlockNames``).
    public var blockNames: [String]
    /// How many blocks, from the first, run under gradient checkpointing.
    public var checkpointedBlockCount: Int
    /// The batch size the training asked for.
    public var batchSize: Int
    /// Samples per forward and backward pass (a divisor of `batchSize`).
    public var microBatchSize: Int
    /// The peak of a step the cost model predicted for this plan, in bytes.
    public var predictedPeak: Int
    /// The peak of a step measured with this plan, in bytes.
    public var measuredPeak: Int
    /// The measured peak of a full-batch step without checkpointing, in bytes.
    public var uncheckpointedPeak: Int
    /// The measured peak of a full-batch step with every block checkpointed, in bytes.
    public var allCheckpointedPeak: Int

    /// Micro-batches accumulated into one optimizer step.
    public var accumulationSteps: Int { batchSize / microBatchSize }

    /// The names of the checkpointed blocks.
    public var checkpointedBlocks: [String] { Array(blockNames.prefix(checkpointedBlockCount)) }

    /// One flag per block, as ``CheckpointableBlocks/blockCheckpointing`` takes them.
    public var blockCheckpointing: [Bool] { blockNames.indices.map { $0 < checkpointedBlockCount } }

    /// Switches `model`'s blocks to this plan's checkpointing (the micro-batch size is the
    /// training loop's to apply).
    public func apply(to model: some CheckpointableBlocks) {
        model.blockCheckpointing = blockCheckpointing
    }

    /// The plan in a few lines: the blocks, the micro-batch, the peaks against the budget.
    public var description: String {
        let blocks = switch checkpointedBlockCount {
        case 0: "none"
        case 1: checkpointedBlocks[0]
        default: "\(checkpointedBlocks[0]) … \(checkpointedBlocks[checkpointedBlockCount - 1])"
        }
        return """
            memory plan for a budget of \(MemorySize(bytes: budget)):
              checkpoint \(checkpointedBlockCount) of \(blockNames.count) blocks (\(blocks))
              micro-batch \(microBatchSize) of \(batchSize) (\(accumulationSteps) accumulation step\(accumulationSteps == 1 ? "" : "s"))
              peak predicted \(MemorySize(bytes: predictedPeak)), measured \(MemorySize(bytes: measuredPeak)) \
            (no checkpointing: \(MemorySize(bytes: uncheckpointedPeak)), all blocks: \(MemorySize(bytes: allCheckpointedPeak)))
            """
    }
}
