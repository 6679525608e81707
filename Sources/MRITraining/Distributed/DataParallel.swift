/// Data-parallel training of one module across the processes of a `ProcessGroup` (PyTorch's
/// `DistributedDataParallel`): every rank holds a full replica, trains on its own share of each
/// global batch (`DistributedSampler`), and before each optimizer step the gradients are
/// averaged across ranks, so all replicas take the same step as one process would on the
/// whole global batch.
///
/// Gradients travel in flat buckets (`ProcessGroup.bucketCapacity`) after backward, all
/// buckets in flight at once; the exchange does not yet overlap backward. Set it as
/// `Trainer.dataParallel`, which then steps with averaged gradients and lets only rank 0
/// write checkpoints.
public final class DataParallel {
    /// The processes training together.
    public let processGroup: ProcessGroup
    /// The replicated module.
    public let module: Module

    /// Replicates `module` across `processGroup`: every rank's parameters and buffers become
    /// rank 0's (so replicas start equal whatever each rank initialised).
    /// - Throws: `DistributedError.communication` when a peer fails.
    public init(_ module: Module, processGroup: ProcessGroup) throws {
        self.module = module
        self.processGroup = processGroup
        try processGroup.broadcast_(module.parameters() + module.buffers(), root: 0)
    }

    /// Whether this process is rank 0, the one that logs and writes checkpoints.
    public var isLeader: Bool { processGroup.rank == 0 }

    /// Averages the accumulated gradients of the trainable parameters across ranks, in place,
    /// and makes the buffers (e.g. batch-norm statistics) rank 0's, as DDP's buffer broadcast
    /// does. A parameter that got no gradient on a rank counts as a zero gradient there, so
    /// every rank exchanges the same tensors.
    /// - Throws: `DistributedError.communication` when a peer died or stalled past the timeout.
    public func synchronizeGradients() throws {
        let trainable = module.parameters().filter(\.requiresGrad)
        let gradients = trainable.map { parameter in
            if let gradient = parameter.grad { return gradient }
            let zero = Tensor.zeros(like: parameter)
            parameter.grad = zero
            return zero
        }
        try processGroup.allReduce_(gradients, average: true)
        let buffers = module.buffers()
        if processGroup.worldSize > 1, !buffers.isEmpty { try processGroup.broadcast_(buffers, root: 0) }
    }
}
