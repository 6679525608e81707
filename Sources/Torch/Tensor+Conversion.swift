import CTorch

extension ATen {
    static let to = ATenOperator("aten::to", "dtype_layout")
    static let contiguous = ATenOperator("aten::contiguous")
    static let clone = ATenOperator("aten::clone")
    static let detach = ATenOperator("aten::detach")
}

extension Tensor {
    /// A copy on `device` and/or converted to `dtype` (`self` when nothing changes).
    /// `nonBlocking` lets a CPU→CUDA copy from pinned memory overlap with compute.
    public func to(device: Device? = nil, dtype: DType? = nil, nonBlocking: Bool = false) -> Tensor {
        ATen.to(.tensor(self), .optionalDType(dtype), .none, .optionalDevice(device), .none, .bool(nonBlocking))
    }

    /// `self` if dense and row-major, else a dense copy.
    public func contiguous() -> Tensor { ATen.contiguous(.tensor(self)) }

    /// A copy with its own storage (recorded by autograd).
    public func clone() -> Tensor { ATen.clone(.tensor(self)) }

    /// The same data, cut from the autograd graph.
    public func detach() -> Tensor { ATen.detach(.tensor(self)) }
}
