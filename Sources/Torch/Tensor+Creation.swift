import CTorch

extension ATen {
    static let zeros = ATenOperator("aten::zeros")
    static let ones = ATenOperator("aten::ones")
    static let full = ATenOperator("aten::full")
    static let empty = ATenOperator("aten::empty", "memory_format")
    static let zerosLike = ATenOperator("aten::zeros_like")
    static let onesLike = ATenOperator("aten::ones_like")
    static let fullLike = ATenOperator("aten::full_like")
    static let arange = ATenOperator("aten::arange", "start_step")
    static let linspace = ATenOperator("aten::linspace")
    static let eye = ATenOperator("aten::eye", "m")
}

extension ATenArgument {
    /// An optional dtype argument.
    static func optionalDType(_ type: DType?) -> ATenArgument { type.map { .dtype($0) } ?? .none }
    /// An optional device argument.
    static func optionalDevice(_ device: Device?) -> ATenArgument { device.map { .device($0) } ?? .none }
    /// An optional `int` argument.
    static func optionalInt(_ value: Int?) -> ATenArgument { value.map { .int($0) } ?? .none }
}

extension Tensor {
    /// A tensor of `shape` filled with zeros (`torch.zeros`; default dtype `float32`, on the CPU).
    public static func zeros(_ shape: [Int], dtype: DType? = nil, device: Device? = nil) -> Tensor {
        ATen.zeros(.ints(shape), .optionalDType(dtype), .none, .optionalDevice(device))
    }

    /// A tensor of `shape` filled with ones (`torch.ones`).
    public static func ones(_ shape: [Int], dtype: DType? = nil, device: Device? = nil) -> Tensor {
        ATen.ones(.ints(shape), .optionalDType(dtype), .none, .optionalDevice(device))
    }

    /// A tensor of `shape` filled with `value` (`torch.full`). Without `dtype`, an integer
    /// value gives `int64` and a floating-point value `float32`, as in PyTorch.
    public static func full<S: TensorScalar>(
        _ shape: [Int], _ value: S, dtype: DType? = nil, device: Device? = nil
    ) -> Tensor {
        ATen.full(.ints(shape), value.scalarOperand.argument, .optionalDType(dtype), .none, .optionalDevice(device))
    }

    /// An uninitialised tensor of `shape` (`torch.empty`): its values are whatever memory held.
    public static func empty(_ shape: [Int], dtype: DType? = nil, device: Device? = nil) -> Tensor {
        ATen.empty(.ints(shape), .optionalDType(dtype), .none, .optionalDevice(device))
    }

    /// Zeros with the shape of `other`, and its dtype and device unless given (`torch.zeros_like`).
    public static func zeros(like other: Tensor, dtype: DType? = nil, device: Device? = nil) -> Tensor {
        ATen.zerosLike(.tensor(other), .optionalDType(dtype), .none, .optionalDevice(device))
    }

    /// Ones with the shape of `other`, and its dtype and device unless given (`torch.ones_like`).
    public static func ones(like other: Tensor, dtype: DType? = nil, device: Device? = nil) -> Tensor {
        ATen.onesLike(.tensor(other), .optionalDType(dtype), .none, .optionalDevice(device))
    }

    /// `value` everywhere, with the shape of `other`, and its dtype and device unless given
    /// (`torch.full_like`).
    public static func full<S: TensorScalar>(
        like other: Tensor, _ value: S, dtype: DType? = nil, device: Device? = nil
    ) -> Tensor {
        ATen.fullLike(
            .tensor(other), value.scalarOperand.argument, .optionalDType(dtype), .none, .optionalDevice(device))
    }

    /// `[0, 1, ..., end - 1]` (`torch.arange(end)`): an `int64` vector unless `dtype` says otherwise.
    public static func arange(_ end: Int, dtype: DType? = nil, device: Device? = nil) -> Tensor {
        arange(0, end, dtype: dtype, device: device)
    }

    /// `[start, start + step, ...]` up to but excluding `end` (`torch.arange`): an `int64` vector.
    public static func arange(
        _ start: Int, _ end: Int, step: Int = 1, dtype: DType? = nil, device: Device? = nil
    ) -> Tensor {
        ATen.arange(.int(start), .int(end), .int(step), .optionalDType(dtype), .none, .optionalDevice(device))
    }

    /// `[start, start + step, ...]` up to but excluding `end` (`torch.arange`): a `float32` vector
    /// unless `dtype` says otherwise. Its length is `ceil((end - start) / step)`.
    public static func arange(
        _ start: Double, _ end: Double, step: Double = 1, dtype: DType? = nil, device: Device? = nil
    ) -> Tensor {
        ATen.arange(.double(start), .double(end), .double(step), .optionalDType(dtype), .none, .optionalDevice(device))
    }

    /// `steps` evenly spaced values from `start` to `end`, both included (`torch.linspace`): `[steps]`.
    public static func linspace(
        _ start: Double, _ end: Double, steps: Int, dtype: DType? = nil, device: Device? = nil
    ) -> Tensor {
        ATen.linspace(.double(start), .double(end), .int(steps), .optionalDType(dtype), .none, .optionalDevice(device))
    }

    /// The `[n, m]` identity matrix (ones on the diagonal; `m` defaults to `n`) (`torch.eye`).
    public static func eye(_ n: Int, _ m: Int? = nil, dtype: DType? = nil, device: Device? = nil) -> Tensor {
        ATen.eye(.int(n), .int(m ?? n), .optionalDType(dtype), .none, .optionalDevice(device))
    }
}
