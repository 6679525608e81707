import CTorch

#if canImport(Glibc)
    import Glibc
#endif

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

    /// A reducer over `parameters` (each requiring gradients; named in libtorch's errors),
    /// bucketed by the group's `bucketCapacity`.
    ///
    /// Without `findUnusedParameters` (DDP's default), every parameter must get a gradient in
    /// each armed backward: one that does not stops the next `prepareForBackward` with
    /// libtorch's message naming it. With it, each armed backward first searches the graph from
    /// its outputs for parameters it will not reach (a cost per step), which then count as zero.
    public init(parameters: [(name: String, tensor: Tensor)], processGroup: ProcessGroup, findUnusedParameters: Bool = false) {
        var handle: mt_reducer?
        let handles: [mt_tensor?] = parameters.map(\.tensor.handle)
        let names = parameters.map { strdup($0.name) }
        defer { names.forEach { free($0) } }
        let status = handles.withUnsafeBufferPointer { tensors in
            names.map { UnsafePointer($0) }.withUnsafeBufferPointer {
                mt_reducer_new(
                    processGroup.handle, tensors.baseAddress, $0.baseAddress, Int64(tensors.count),
                    Int64(processGroup.bucketCapacity), findUnusedParameters, &handle)
            }
        }
        withExtendedLifetime(parameters) {}
        guard check(status, "GradientReducer"), let handle else { fatalError("GradientReducer: no reducer") }
        self.handle = handle
        self.processGroup = processGroup
    }

    deinit { mt_reducer_free(handle) }

    /// Arms the hooks for the next backward from `outputs` (the loss): when that backward
    /// returns, the parameters' gradients are the average over all ranks (`checkFinalized()`
    /// tells whether all were).
    public func prepareForBackward(_ outputs: [Tensor]) {
        let handles: [mt_tensor?] = outputs.map(\.handle)
        let status = handles.withUnsafeBufferPointer {
            mt_reducer_prepare_for_backward(handle, $0.baseAddress, Int64($0.count))
        }
        withExtendedLifetime(outputs) {}
        check(status, "GradientReducer.prepareForBackward")
    }

    /// Traps, naming the parameters that got no gradient, unless the armed backward averaged
    /// every bucket (a parameter that a forward pass left unused, without `findUnusedParameters`,
    /// leaves its bucket waiting and the gradients un-averaged).
    public func checkFinalized() {
        check(mt_reducer_check_finalized(handle), "GradientReducer")
    }
}
