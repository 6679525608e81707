/// A model whose forward pass runs through a chain of blocks, each of which can be switched to
/// gradient checkpointing on its own (its activations are then recomputed during `backward`
/// instead of kept), so a memory planner can choose which to checkpoint.
///
/// The switches take effect in training mode; evaluation never keeps activations anyway.
///
/// ```swift
/// let net = VarNet(numCascades: 12)
/// net.blockCheckpointing = (0..<12).map { $0 < 5 }   // checkpoint cascades.0 … cascades.4
/// ```
public protocol CheckpointableBlocks: Module {
    /// The blocks' names in forward order: their state-dict prefixes (`cascades.3`, `body.0.body.1`).
    var checkpointableBlockNames: [String] { get }

    /// Whether each block, in the order of ``checkpointableBlockNames``, runs under gradient
    /// checkpointing in training. Setting it needs one flag per block.
    var blockCheckpointing: [Bool] { get set }
}
