/// Data-parallel training of one module across the processes of a `ProcessGroup` (PyTorch's
/// `DistributedDataParallel`): every rank holds a full replica, trains on its own share of each
/// global batch (`DistributedSampler`), and before each optimizer step the gradients are
/// averaged across ranks, so all replicas take the same step as one process would on the
/// whole global batch.
///
/// The backward of the last micro-batch before a step exchanges gradients while it runs
/// (libtorch's `Reducer`: buckets of `ProcessGroup.bucketCapacity` bytes, each sent as soon as
/// its gradients are ready); earlier micro-batches of an accumulation only accumulate locally.
/// A step after a backward that did not exchange (an epoch's leftover micro-batches) averages
/// the gradients then. Set it as `Trainer.dataParallel`, which then steps with averaged
/// gradients and lets only rank 0 write checkpoints. Create it once the module is on its device
/// (the reducer keeps the parameter tensors).
public final class DataParallel {
    /// The processes training together.
    public let processGroup: ProcessGroup
    /// The replicated module.
    public let module: Module
    private let reducer: GradientReducer
    /// Whether the gradients were averaged by the last backward (and not yet used by a step).
    private var gradientsAveraged = false

    /// Replicates `module` across `processGroup`: every rank's parameters and buffers become
    /// rank 0's (so replicas start equal whatever each rank initialised).
    /// - Parameter findUnusedParameters: set it when a forward pass may leave trainable
    ///   parameters unused (`GradientReducer`); without it, such a parameter stops the run with
    ///   libtorch's message naming it.
    /// - Throws: `DistributedError.communication` when a peer fails.
    public init(_ module: Module, processGroup: ProcessGroup, findUnusedParameters: Bool = false) throws {
        self.module = module
        self.processGroup = processGroup
        try processGroup.broadcast_(module.parameters() + module.buffers(), root: 0)
        reducer = GradientReducer(
            parameters: module.namedParameters().filter(\.tensor.requiresGrad), processGroup: processGroup,
            findUnusedParameters: findUnusedParameters)
    }

    /// Whether this process is rank 0, the one that logs and writes checkpoints.
    public var isLeader: Bool { processGroup.rank == 0 }

    /// Backpropagates `loss`; with `synchronizing` (the last micro-batch before an optimizer
    /// step) the gradients are averaged across ranks while backward runs.
    /// - Throws: `DistributedError.communication` when a peer died or stalled past the timeout.
    public func backward(_ loss: Tensor, synchronizing: Bool) throws {
        if synchronizing { reducer.prepareForBackward([loss]) }
        do {
            try withTorchErrors { loss.backward() }
        } catch let error as TorchError {
            throw DistributedError.communication(
                operation: "backward with gradient all-reduce", rank: processGroup.rank, message: error.message)
        }
        if synchronizing { reducer.checkFinalized() }
        gradientsAveraged = synchronizing
    }

    /// Makes the gradients the average across ranks (a no-op after a synchronizing `backward`),
    /// and the buffers (e.g. batch-norm statistics) rank 0's, as DDP's buffer broadcast does. A
    /// parameter that got no gradient on a rank counts as a zero gradient there.
    /// - Throws: `DistributedError.communication` when a peer died or stalled past the timeout.
    public func synchronizeGradients() throws {
        if !gradientsAveraged {
            let gradients = module.parameters().filter(\.requiresGrad).map { parameter in
                if let gradient = parameter.grad { return gradient }
                let zero = Tensor.zeros(like: parameter)
                parameter.grad = zero
                return zero
            }
            try processGroup.allReduce_(gradients, average: true)
        }
        gradientsAveraged = false
        let buffers = module.buffers()
        if processGroup.worldSize > 1, !buffers.isEmpty { try processGroup.broadcast_(buffers, root: 0) }
    }
}
