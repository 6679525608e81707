import CTorch

extension ATen {
    static let allclose = ATenOperator("aten::allclose")
    static let equal = ATenOperator("aten::equal")
}

// Element-wise comparisons return `bool` tensors, so they use the point-wise operators
// (`.==`, `.<`, ...) that the standard library declares for SIMD, leaving `==` free.
extension Tensor {
    /// `lhs == rhs` element-wise with broadcasting, as a `bool` tensor (`torch.eq`).
    @inlinable public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor { binary(MT_BINARY_EQ, lhs, rhs) }
    /// Whether each element equals a number, as a `bool` tensor.
    @inlinable public static func .== <S: TensorScalar>(lhs: Tensor, rhs: S) -> Tensor {
        binary(MT_BINARY_EQ, lhs, rhs.scalarOperand)
    }
    /// `lhs != rhs` element-wise with broadcasting, as a `bool` tensor (`torch.ne`).
    @inlinable public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor { binary(MT_BINARY_NE, lhs, rhs) }
    /// Whether each element differs from a number, as a `bool` tensor.
    @inlinable public static func .!= <S: TensorScalar>(lhs: Tensor, rhs: S) -> Tensor {
        binary(MT_BINARY_NE, lhs, rhs.scalarOperand)
    }
    /// `lhs < rhs` element-wise with broadcasting, as a `bool` tensor (`torch.lt`).
    @inlinable public static func .< (lhs: Tensor, rhs: Tensor) -> Tensor { binary(MT_BINARY_LT, lhs, rhs) }
    /// Whether each element is less than a number, as a `bool` tensor.
    @inlinable public static func .< <S: TensorScalar>(lhs: Tensor, rhs: S) -> Tensor {
        binary(MT_BINARY_LT, lhs, rhs.scalarOperand)
    }
    /// `lhs <= rhs` element-wise with broadcasting, as a `bool` tensor (`torch.le`).
    @inlinable public static func .<= (lhs: Tensor, rhs: Tensor) -> Tensor { binary(MT_BINARY_LE, lhs, rhs) }
    /// Whether each element is at most a number, as a `bool` tensor.
    @inlinable public static func .<= <S: TensorScalar>(lhs: Tensor, rhs: S) -> Tensor {
        binary(MT_BINARY_LE, lhs, rhs.scalarOperand)
    }
    /// `lhs > rhs` element-wise with broadcasting, as a `bool` tensor (`torch.gt`).
    @inlinable public static func .> (lhs: Tensor, rhs: Tensor) -> Tensor { binary(MT_BINARY_GT, lhs, rhs) }
    /// Whether each element is greater than a number, as a `bool` tensor.
    @inlinable public static func .> <S: TensorScalar>(lhs: Tensor, rhs: S) -> Tensor {
        binary(MT_BINARY_GT, lhs, rhs.scalarOperand)
    }
    /// `lhs >= rhs` element-wise with broadcasting, as a `bool` tensor (`torch.ge`).
    @inlinable public static func .>= (lhs: Tensor, rhs: Tensor) -> Tensor { binary(MT_BINARY_GE, lhs, rhs) }
    /// Whether each element is at least a number, as a `bool` tensor.
    @inlinable public static func .>= <S: TensorScalar>(lhs: Tensor, rhs: S) -> Tensor {
        binary(MT_BINARY_GE, lhs, rhs.scalarOperand)
    }
}

extension Tensor {
    /// `self == other` element-wise, as a `bool` tensor (`torch.eq`).
    @inlinable public func eq(_ other: Tensor) -> Tensor { self .== other }
    /// `self == other` element-wise, as a `bool` tensor.
    @inlinable public func eq<S: TensorScalar>(_ other: S) -> Tensor { self .== other }
    /// `self != other` element-wise, as a `bool` tensor (`torch.ne`).
    @inlinable public func ne(_ other: Tensor) -> Tensor { self .!= other }
    /// `self != other` element-wise, as a `bool` tensor.
    @inlinable public func ne<S: TensorScalar>(_ other: S) -> Tensor { self .!= other }
    /// `self < other` element-wise, as a `bool` tensor (`torch.lt`).
    @inlinable public func lt(_ other: Tensor) -> Tensor { self .< other }
    /// `self < other` element-wise, as a `bool` tensor.
    @inlinable public func lt<S: TensorScalar>(_ other: S) -> Tensor { self .< other }
    /// `self <= other` element-wise, as a `bool` tensor (`torch.le`).
    @inlinable public func le(_ other: Tensor) -> Tensor { self .<= other }
    /// `self <= other` element-wise, as a `bool` tensor.
    @inlinable public func le<S: TensorScalar>(_ other: S) -> Tensor { self .<= other }
    /// `self > other` element-wise, as a `bool` tensor (`torch.gt`).
    @inlinable public func gt(_ other: Tensor) -> Tensor { self .> other }
    /// `self > other` element-wise, as a `bool` tensor.
    @inlinable public func gt<S: TensorScalar>(_ other: S) -> Tensor { self .> other }
    /// `self >= other` element-wise, as a `bool` tensor (`torch.ge`).
    @inlinable public func ge(_ other: Tensor) -> Tensor { self .>= other }
    /// `self >= other` element-wise, as a `bool` tensor.
    @inlinable public func ge<S: TensorScalar>(_ other: S) -> Tensor { self .>= other }

    /// Element-wise logical AND of the truth values (non-zero is true), as `bool` (`torch.logical_and`).
    @inlinable public func logicalAnd(_ other: Tensor) -> Tensor { Tensor.binary(MT_BINARY_LOGICAL_AND, self, other) }
    /// Element-wise logical OR of the truth values, as `bool` (`torch.logical_or`).
    @inlinable public func logicalOr(_ other: Tensor) -> Tensor { Tensor.binary(MT_BINARY_LOGICAL_OR, self, other) }
    /// Element-wise logical XOR of the truth values, as `bool` (`torch.logical_xor`).
    @inlinable public func logicalXor(_ other: Tensor) -> Tensor { Tensor.binary(MT_BINARY_LOGICAL_XOR, self, other) }
    /// Element-wise logical NOT (zero becomes true), as `bool` (`torch.logical_not`).
    @inlinable public func logicalNot() -> Tensor { unary(MT_UNARY_LOGICAL_NOT) }

    /// Whether `|self - other| <= atol + rtol·|other|` holds everywhere (`torch.allclose`).
    /// `equalNaN` counts NaNs in the same places as equal.
    public func allClose(_ other: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8, equalNaN: Bool = false) -> Bool {
        if case .bool(let value) = ATen.allclose.scalar(
            .tensor(self), .tensor(other), .double(rtol), .double(atol), .bool(equalNaN))
        {
            return value
        }
        return false
    }

    /// Whether both tensors have the same shape and elements (`torch.equal`).
    public func equal(_ other: Tensor) -> Bool {
        if case .bool(let value) = ATen.equal.scalar(.tensor(self), .tensor(other)) { return value }
        return false
    }
}
