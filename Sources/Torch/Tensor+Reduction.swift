import CTorch

extension ATen {
    static let sum = ATenOperator("aten::sum", "dim_IntList")
    static let mean = ATenOperator("aten::mean", "dim")
    static let std = ATenOperator("aten::std", "correction")
    static let variance = ATenOperator("aten::var", "correction")
    static let maxAll = ATenOperator("aten::max")
    static let minAll = ATenOperator("aten::min")
    static let maxDim = ATenOperator("aten::max", "dim")
    static let minDim = ATenOperator("aten::min", "dim")
    static let argmax = ATenOperator("aten::argmax")
    static let argmin = ATenOperator("aten::argmin")
    static let amax = ATenOperator("aten::amax")
    static let amin = ATenOperator("aten::amin")
    static let vectorNorm = ATenOperator("aten::linalg_vector_norm")
    static let prod = ATenOperator("aten::prod")
    static let prodDim = ATenOperator("aten::prod", "dim_int")
    static let cumsum = ATenOperator("aten::cumsum")
    static let topk = ATenOperator("aten::topk")
    static let sort = ATenOperator("aten::sort", "stable")
    static let quantile = ATenOperator("aten::quantile", "scalar")
    static let logsumexp = ATenOperator("aten::logsumexp")
    static let all = ATenOperator("aten::all", "dims")
    static let any = ATenOperator("aten::any", "dims")
}

/// How `quantile` picks a value between two data points (PyTorch's `interpolation`).
public enum QuantileInterpolation: String, Sendable {
    /// Linear interpolation between the two neighbours.
    case linear
    /// The lower neighbour.
    case lower
    /// The higher neighbour.
    case higher
    /// The mean of the two neighbours.
    case midpoint
    /// The nearer neighbour (ties to the even index).
    case nearest
}

extension ATenArgument {
    /// An `int[]?` of dimensions (`nil`: all of them).
    static func dims(_ dims: [Int]?) -> ATenArgument { dims.map { .ints($0) } ?? .none }
}

// `dim: [Int]?` reduces over the listed dimensions (`nil`: all); `dim: Int` over one.
// With `keepdim`, reduced dimensions stay as size 1, so the result broadcasts against the input.
extension Tensor {
    /// The sum over `dim` (`torch.sum`); `dtype` converts before summing (e.g. to avoid overflow).
    public func sum(dim: [Int]? = nil, keepdim: Bool = false, dtype: DType? = nil) -> Tensor {
        ATen.sum(.tensor(self), .dims(dim), .bool(keepdim), .optionalDType(dtype))
    }
    /// The sum over one dimension.
    public func sum(dim: Int, keepdim: Bool = false, dtype: DType? = nil) -> Tensor {
        sum(dim: [dim], keepdim: keepdim, dtype: dtype)
    }

    /// The mean over `dim` (`torch.mean`; floating or complex tensors).
    public func mean(dim: [Int]? = nil, keepdim: Bool = false, dtype: DType? = nil) -> Tensor {
        ATen.mean(.tensor(self), .dims(dim), .bool(keepdim), .optionalDType(dtype))
    }
    /// The mean over one dimension.
    public func mean(dim: Int, keepdim: Bool = false, dtype: DType? = nil) -> Tensor {
        mean(dim: [dim], keepdim: keepdim, dtype: dtype)
    }

    /// The standard deviation over `dim` (`torch.std`), dividing by `N - correction`
    /// (1: unbiased, PyTorch's default; 0: population).
    public func std(dim: [Int]? = nil, correction: Double = 1, keepdim: Bool = false) -> Tensor {
        ATen.std(.tensor(self), .dims(dim), .double(correction), .bool(keepdim))
    }
    /// The standard deviation over one dimension.
    public func std(dim: Int, correction: Double = 1, keepdim: Bool = false) -> Tensor {
        std(dim: [dim], correction: correction, keepdim: keepdim)
    }

    /// The variance over `dim` (`torch.var`), dividing by `N - correction`.
    public func `var`(dim: [Int]? = nil, correction: Double = 1, keepdim: Bool = false) -> Tensor {
        ATen.variance(.tensor(self), .dims(dim), .double(correction), .bool(keepdim))
    }
    /// The variance over one dimension.
    public func `var`(dim: Int, correction: Double = 1, keepdim: Bool = false) -> Tensor {
        `var`(dim: [dim], correction: correction, keepdim: keepdim)
    }

    /// The largest element, as a 0-d tensor (`torch.max`).
    public func max() -> Tensor { ATen.maxAll(.tensor(self)) }
    /// The smallest element, as a 0-d tensor (`torch.min`).
    public func min() -> Tensor { ATen.minAll(.tensor(self)) }

    /// The largest values along `dim` and their indices (`torch.max(x, dim)`).
    public func max(dim: Int, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
        let parts = ATen.maxDim.tensors(.tensor(self), .int(dim), .bool(keepdim))
        return Tensor.pair(parts)
    }
    /// The smallest values along `dim` and their indices (`torch.min(x, dim)`).
    public func min(dim: Int, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
        let parts = ATen.minDim.tensors(.tensor(self), .int(dim), .bool(keepdim))
        return Tensor.pair(parts)
    }

    /// The index of the largest element along `dim`, or in the flattened tensor when `dim`
    /// is `nil` (`torch.argmax`; `int64`).
    public func argmax(dim: Int? = nil, keepdim: Bool = false) -> Tensor {
        ATen.argmax(.tensor(self), .optionalInt(dim), .bool(keepdim))
    }
    /// The index of the smallest element along `dim`, or in the flattened tensor (`torch.argmin`).
    public func argmin(dim: Int? = nil, keepdim: Bool = false) -> Tensor {
        ATen.argmin(.tensor(self), .optionalInt(dim), .bool(keepdim))
    }

    /// The largest values over `dim` (all dimensions when empty), without indices (`torch.amax`).
    public func amax(dim: [Int] = [], keepdim: Bool = false) -> Tensor {
        ATen.amax(.tensor(self), .ints(dim), .bool(keepdim))
    }
    /// The smallest values over `dim` (all dimensions when empty), without indices (`torch.amin`).
    public func amin(dim: [Int] = [], keepdim: Bool = false) -> Tensor {
        ATen.amin(.tensor(self), .ints(dim), .bool(keepdim))
    }

    /// The vector `p`-norm over `dim`, `(Σ|x|ᵖ)^(1/p)` (`torch.norm`, `torch.linalg.vector_norm`);
    /// `p` may be `.infinity`. Real for complex input.
    public func norm(p: Double = 2, dim: [Int]? = nil, keepdim: Bool = false) -> Tensor {
        ATen.vectorNorm(.tensor(self), .double(p), .dims(dim), .bool(keepdim))
    }
    /// The vector `p`-norm over one dimension.
    public func norm(p: Double = 2, dim: Int, keepdim: Bool = false) -> Tensor {
        norm(p: p, dim: [dim], keepdim: keepdim)
    }

    /// The product of all elements, or along `dim` (`torch.prod`).
    public func prod(dim: Int? = nil, keepdim: Bool = false, dtype: DType? = nil) -> Tensor {
        guard let dim else { return ATen.prod(.tensor(self), .optionalDType(dtype)) }
        return ATen.prodDim(.tensor(self), .int(dim), .bool(keepdim), .optionalDType(dtype))
    }

    /// Running sums along `dim`, same shape as `self` (`torch.cumsum`).
    public func cumsum(dim: Int, dtype: DType? = nil) -> Tensor {
        ATen.cumsum(.tensor(self), .int(dim), .optionalDType(dtype))
    }

    /// `log(Σ exp(x))` over `dim`, computed without overflow (`torch.logsumexp`).
    public func logsumexp(dim: [Int], keepdim: Bool = false) -> Tensor {
        ATen.logsumexp(.tensor(self), .ints(dim), .bool(keepdim))
    }
    /// `log(Σ exp(x))` over one dimension.
    public func logsumexp(dim: Int, keepdim: Bool = false) -> Tensor {
        logsumexp(dim: [dim], keepdim: keepdim)
    }

    /// The `k` largest (or with `largest: false`, smallest) values along `dim` and their
    /// indices (`torch.topk`); `sorted` orders them.
    public func topk(
        _ k: Int, dim: Int = -1, largest: Bool = true, sorted: Bool = true
    ) -> (values: Tensor, indices: Tensor) {
        Tensor.pair(ATen.topk.tensors(.tensor(self), .int(k), .int(dim), .bool(largest), .bool(sorted)))
    }

    /// The values sorted along `dim` and the indices that sort them (`torch.sort`);
    /// `stable` keeps equal values in their original order.
    public func sort(
        dim: Int = -1, descending: Bool = false, stable: Bool = false
    ) -> (values: Tensor, indices: Tensor) {
        Tensor.pair(ATen.sort.tensors(.tensor(self), .bool(stable), .int(dim), .bool(descending)))
    }

    /// The `q`-quantile (`q` in `[0, 1]`) along `dim`, or of all elements (`torch.quantile`).
    public func quantile(
        _ q: Double, dim: Int? = nil, keepdim: Bool = false, interpolation: QuantileInterpolation = .linear
    ) -> Tensor {
        ATen.quantile(
            .tensor(self), .double(q), .optionalInt(dim), .bool(keepdim),
            .string(interpolation.rawValue))
    }

    /// Whether every element is true (non-zero) over `dim`, as `bool` (`torch.all`).
    public func all(dim: [Int]? = nil, keepdim: Bool = false) -> Tensor {
        ATen.all(.tensor(self), .dims(dim), .bool(keepdim))
    }
    /// Whether any element is true (non-zero) over `dim`, as `bool` (`torch.any`).
    public func any(dim: [Int]? = nil, keepdim: Bool = false) -> Tensor {
        ATen.any(.tensor(self), .dims(dim), .bool(keepdim))
    }

    /// The two results of a `(values, indices)` operator (placeholders after a captured failure).
    static func pair(_ parts: [Tensor]) -> (values: Tensor, indices: Tensor) {
        guard parts.count == 2 else { return (placeholder(), placeholder()) }
        return (parts[0], parts[1])
    }
}
