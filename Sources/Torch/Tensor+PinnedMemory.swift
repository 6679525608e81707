import CTorch

extension ATen {
    static let pinMemory = ATenOperator("aten::pin_memory")
    static let isPinned = ATenOperator("aten::is_pinned")
}

extension Tensor {
    /// A copy of this CPU tensor in page-locked (pinned) host memory (`pin_memory`), from which
    /// `to(device:nonBlocking: true)` copies to CUDA asynchronously. Needs CUDA (libtorch's pinned
    /// allocator lives in `libtorch_cuda`); returns `self` when it is pinned already.
    public func pinMemory() -> Tensor { ATen.pinMemory(.tensor(self)) }

    /// Whether this tensor lives in pinned host memory (`is_pinned`); always `false` without CUDA.
    public var isPinned: Bool {
        guard case .bool(let pinned)? = ATen.isPinned.call([.tensor(self)]).first else { return false }
        return pinned
    }
}
