import CTorch

extension ATen {
    static let to = ATenOperator("aten::to", "dtype_layout")
    static let contiguousInFormat = ATenOperator("aten::contiguous")
    static let clone = ATenOperator("aten::clone")
    static let detach = ATenOperator("aten::detach")
}

/// The order in which a tensor's elements are laid out in memory (`torch.memory_format`).
public enum MemoryFormat: Int, Sendable {
    /// Row-major: `[N, C, H, W]` with W fastest (`torch.contiguous_format`).
    case contiguous = 0
    /// `[N, C, H, W]` stored as NHWC, channels fastest (`torch.channels_last`), the layout in
    /// which oneDNN runs 2-D convolutions of few channels without reordering them.
    case channelsLast = 2
    /// `[N, C, D, H, W]` stored as NDHWC (`torch.channels_last_3d`).
    case channelsLast3d = 3
}

extension Tensor {
    /// A copy on `device` and/or converted to `dtype` (`self` when nothing changes).
    /// `nonBlocking` lets a CPU→CUDA copy from pinned memory overlap with compute.
    public func to(device: Device? = nil, dtype: DType? = nil, nonBlocking: Bool = false) -> Tensor {
        ATen.to(.tensor(self), .optionalDType(dtype), .none, .optionalDevice(device), .none, .bool(nonBlocking))
    }

    /// `self` if dense and row-major, else a dense copy. A float32 CPU tensor in channels-last
    /// layout is transposed by cache-sized blocks, several times faster than libtorch's copy.
    public func contiguous() -> Tensor {
        var handle: mt_tensor?
        check(mt_tensor_contiguous(self.handle, &handle))
        return Tensor.wrapping(handle)
    }

    /// `self` if dense in `memoryFormat`, else a copy in that layout (same shape).
    public func contiguous(memoryFormat: MemoryFormat) -> Tensor {
        memoryFormat == .contiguous ? contiguous() : ATen.contiguousInFormat(.tensor(self), .int(memoryFormat.rawValue))
    }

    /// A copy with its own storage (recorded by autograd).
    public func clone() -> Tensor { ATen.clone(.tensor(self)) }

    /// The same data, cut from the autograd graph.
    public func detach() -> Tensor { ATen.detach(.tensor(self)) }
}
