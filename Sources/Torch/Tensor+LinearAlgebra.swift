import CTorch

extension ATen {
    static let matmul = ATenOperator("aten::matmul")
    static let mm = ATenOperator("aten::mm")
    static let bmm = ATenOperator("aten::bmm")
    static let einsum = ATenOperator("aten::einsum")
    static let outer = ATenOperator("aten::outer")
    static let dot = ATenOperator("aten::dot")
}

extension Tensor {
    /// The matrix product with NumPy broadcasting of batch dimensions (`torch.matmul`, `@`):
    /// `[..., n, k] × [..., k, m] → [..., n, m]`; 1-D operands act as a row or column vector.
    public func matmul(_ other: Tensor) -> Tensor { ATen.matmul(.tensor(self), .tensor(other)) }

    /// The product of two matrices, `[n, k] × [k, m] → [n, m]`, without broadcasting (`torch.mm`).
    public func mm(_ other: Tensor) -> Tensor { ATen.mm(.tensor(self), .tensor(other)) }

    /// Batched matrix product, `[b, n, k] × [b, k, m] → [b, n, m]` (`torch.bmm`).
    public func bmm(_ other: Tensor) -> Tensor { ATen.bmm(.tensor(self), .tensor(other)) }

    /// The outer product of two vectors, `[n] × [m] → [n, m]` (`torch.outer`).
    public func outer(_ other: Tensor) -> Tensor { ATen.outer(.tensor(self), .tensor(other)) }

    /// The inner product of two vectors of the same length, as a 0-d tensor (`torch.dot`).
    public func dot(_ other: Tensor) -> Tensor { ATen.dot(.tensor(self), .tensor(other)) }

    /// Sums products of `operands`' elements as the Einstein-notation `equation` says
    /// (`torch.einsum`), e.g. `"bij,bjk->bik"` for a batched matrix product.
    public static func einsum(_ equation: String, _ operands: [Tensor]) -> Tensor {
        ATen.einsum(.string(equation), .tensors(operands))
    }

    /// `einsum` with the operands listed inline: `Tensor.einsum("ij,jk->ik", a, b)`.
    public static func einsum(_ equation: String, _ operands: Tensor...) -> Tensor {
        einsum(equation, operands)
    }
}
