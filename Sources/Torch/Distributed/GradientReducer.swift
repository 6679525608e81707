import CTorch

/// libtorch's data-parallel gradient engine (`c10d::Reducer`, the heart of PyTorch's
/// `DistributedDataParallel`): hooks on the parameters' gradient accumulators average each
/// bucket of gradients across the group as soon as backward has produced it, so the exchange
/// overlaps the rest of backward.
///
/// Arm it with `prepareForBackward(_:)` before a backward whose gradients should be averaged;
/// a backward without it only accumulates locally (PyTorch's `no_sync`). The parameters must
/// stay the same tensors (load weights in place, move the module before creating this).
public final class GradientReducer {
    /// The group gradients are averaged across.
    public let processGroup: ProcessGroup
    private let handle: mt_reducer

    /// A reducer over `parameters` (each requiring gradients), bucketed by the group's
    /// `bucketCapacity`. Parameters that a forward pass does not use are found from its outputs
    /// and count as zero gradients.
    public init(parameters: [Tensor], processGroup: ProcessGroup) {
        var handle: mt_reducer?
        let handles: [mt_tensor?] = parameters.map(\.handle)
        let status = handles.withUnsafeBufferPointer {
            mt_reducer_new(processGroup.handle, $0.baseAddress, Int64($0.count), Int64(processGroup.bucketCapacity), &handle)
        }
        withExtendedLifetime(parameters) {}
        guard check(status, "GradientReducer"), let handle else { fatalError("GradientReducer: no reducer") }
        self.handle = handle
        self.processGroup = processGroup
    }

    deinit { mt_reducer_free(handle) }

    /// Arms the hooks for the next backward from `outputs` (the loss): when that backward
    /// returns, the parameters' gradients are the average over all ranks.
    public func prepareForBackward(_ outputs: [Tensor]) {
        let handles: [mt_tensor?] = outputs.map(\.handle)
        let status = handles.withUnsafeBufferPointer {
            mt_reducer_prepare_for_backward(handle, $0.baseAddress, Int64($0.count))
        }
        withExtendedLifetime(outputs) {}
        check(status, "GradientReducer.prepareForBackward")
    }
}
