import CTorch

private extension ATen {
    static let whereSelf = ATenOperator("aten::where", "self")
    static let maskedFill = ATenOperator("aten::masked_fill", "Scalar")
    static let maskedFillTensor = ATenOperator("aten::masked_fill", "Tensor")
    static let maskedSelect = ATenOperator("aten::masked_select")
    static let gather = ATenOperator("aten::gather")
    static let scatter = ATenOperator("aten::scatter", "src")
    static let scatterValue = ATenOperator("aten::scatter", "value")
    static let scatterAdd = ATenOperator("aten::scatter_add")
    static let indexSelect = ATenOperator("aten::index_select")
    static let nonzero = ATenOperator("aten::nonzero")
}

extension Tensor {
    /// Elementwise `condition ? a : b`, broadcasting all three (`torch.where`).
    /// `condition` is a `bool` tensor.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        ATen.whereSelf(.tensor(condition), .tensor(a), .tensor(b))
    }

    /// A copy with `value` where the `bool` `mask` (broadcast to `self`) is true.
    public func maskedFill(_ mask: Tensor, _ value: Double) -> Tensor {
        ATen.maskedFill(.tensor(self), .tensor(mask), .double(value))
    }

    /// A copy with the 0-d tensor `value` where `mask` is true (differentiable in `value`).
    public func maskedFill(_ mask: Tensor, _ value: Tensor) -> Tensor {
        ATen.maskedFillTensor(.tensor(self), .tensor(mask), .tensor(value))
    }

    /// The elements where the `bool` `mask` (broadcast to `self`) is true, as a 1-d tensor.
    public func maskedSelect(_ mask: Tensor) -> Tensor { ATen.maskedSelect(.tensor(self), .tensor(mask)) }

    /// Values picked along `dim`: `out[i][j][k] = self[index[i][j][k]][j][k]` for `dim == 0`.
    /// `index` is `int64`, of the same rank as `self`; the result has `index`'s shape.
    public func gather(dim: Int, index: Tensor) -> Tensor {
        ATen.gather(.tensor(self), .int(dim), .tensor(index))
    }

    /// A copy with `src` written along `dim` at `index`: `out[index[i][j]][j] = src[i][j]` for `dim == 0`
    /// (the inverse of `gather`). With repeated indices, which write wins is unspecified.
    public func scatter(dim: Int, index: Tensor, src: Tensor) -> Tensor {
        ATen.scatter(.tensor(self), .int(dim), .tensor(index), .tensor(src))
    }

    /// A copy with `value` written along `dim` at every position of `index`.
    public func scatter(dim: Int, index: Tensor, value: Double) -> Tensor {
        ATen.scatterValue(.tensor(self), .int(dim), .tensor(index), .double(value))
    }

    /// A copy with `src` added along `dim` at `index`; repeated indices accumulate.
    public func scatterAdd(dim: Int, index: Tensor, src: Tensor) -> Tensor {
        ATen.scatterAdd(.tensor(self), .int(dim), .tensor(index), .tensor(src))
    }

    /// The slices at the 1-d `int64` `index` along `dim` (a copy; `dim` takes `index`'s length).
    public func indexSelect(dim: Int, index: Tensor) -> Tensor {
        ATen.indexSelect(.tensor(self), .int(dim), .tensor(index))
    }

    /// The positions of the non-zero elements, `[count, rank]` `int64`.
    public func nonzero() -> Tensor { ATen.nonzero(.tensor(self)) }
}
