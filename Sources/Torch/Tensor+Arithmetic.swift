import CTorch

/// A Swift number usable as the `Scalar` operand of a tensor operation (`x + 1`, `2 * x`).
///
/// Integers stay integral, so an integer tensor plus an `Int` stays an integer tensor,
/// while a `Double` promotes it to the default floating type, as in PyTorch.
public protocol TensorScalar {
    /// The value as PyTorch sees it.
    var scalarOperand: ScalarOperand { get }
}

/// A PyTorch `Scalar`: an integer or a floating-point number.
public enum ScalarOperand: Sendable, Equatable {
    /// An integral value (PyTorch `int`).
    case integer(Int64)
    /// A floating-point value (PyTorch `float`).
    case floating(Double)

    /// The operator-call argument holding this value.
    var argument: ATenArgument {
        switch self {
        case .integer(let value): .int(Int(value))
        case .floating(let value): .double(value)
        }
    }

    /// The shim's by-value form.
    var shimValue: mt_scalar {
        switch self {
        case .integer(let value): mt_scalar(d: 0, i: value, is_integer: true)
        case .floating(let value): mt_scalar(d: value, i: 0, is_integer: false)
        }
    }
}

extension Int: TensorScalar {
    /// The value as an integral `Scalar`.
    @inlinable public var scalarOperand: ScalarOperand { .integer(Int64(self)) }
}
extension Int32: TensorScalar {
    /// The value as an integral `Scalar`.
    @inlinable public var scalarOperand: ScalarOperand { .integer(Int64(self)) }
}
extension Int64: TensorScalar {
    /// The value as an integral `Scalar`.
    @inlinable public var scalarOperand: ScalarOperand { .integer(self) }
}
extension Double: TensorScalar {
    /// The value as a floating-point `Scalar`.
    @inlinable public var scalarOperand: ScalarOperand { .floating(self) }
}
extension Float: TensorScalar {
    /// The value as a floating-point `Scalar`.
    @inlinable public var scalarOperand: ScalarOperand { .floating(Double(self)) }
}

// MARK: Typed fast paths

extension Tensor {
    /// Wraps the result of a typed shim call, reporting a failure (trap, or inside
    /// `withTorchErrors` a placeholder).
    @usableFromInline
    static func result(_ status: mt_status, _ handle: mt_tensor?) -> Tensor {
        guard check(status), let handle else { return placeholder() }
        return Tensor(owning: handle)
    }

    /// `op(a, b)` through the typed shim entry point.
    @usableFromInline
    static func binary(_ op: mt_binary_op, _ a: Tensor, _ b: Tensor) -> Tensor {
        var out: mt_tensor?
        let status = mt_binary(Int32(op.rawValue), a.handle, b.handle, &out)
        return result(status, out)
    }

    /// `op(a, s)`, or `op(s, a)` when `reversed`.
    @usableFromInline
    static func binary(_ op: mt_binary_op, _ a: Tensor, _ s: ScalarOperand, reversed: Bool = false) -> Tensor {
        var out: mt_tensor?
        let status = mt_binary_scalar(Int32(op.rawValue), a.handle, s.shimValue, reversed, &out)
        return result(status, out)
    }

    /// `a.op_(b)`; returns `a`.
    @usableFromInline
    @discardableResult
    static func binaryInPlace(_ op: mt_binary_op, _ a: Tensor, _ b: Tensor) -> Tensor {
        check(mt_binary_(Int32(op.rawValue), a.handle, b.handle))
        return a
    }

    /// `a.op_(s)`; returns `a`.
    @usableFromInline
    @discardableResult
    static func binaryInPlace(_ op: mt_binary_op, _ a: Tensor, _ s: ScalarOperand) -> Tensor {
        check(mt_binary_scalar_(Int32(op.rawValue), a.handle, s.shimValue))
        return a
    }

    /// `op(self)` through the typed shim entry point.
    @usableFromInline
    func unary(_ op: mt_unary_op) -> Tensor {
        var out: mt_tensor?
        let status = mt_unary(Int32(op.rawValue), handle, &out)
        return Tensor.result(status, out)
    }

    /// `self.op_()`; returns `self`.
    @usableFromInline
    @discardableResult
    func unaryInPlace(_ op: mt_unary_op) -> Tensor {
        check(mt_unary_(Int32(op.rawValue), handle))
        return self
    }
}

// MARK: Operators

extension Tensor {
    /// Element-wise sum with broadcasting (`torch.add`).
    @inlinable public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { binary(MT_BINARY_ADD, lhs, rhs) }
    /// Adds a number to every element.
    @inlinable public static func + <S: TensorScalar>(lhs: Tensor, rhs: S) -> Tensor {
        binary(MT_BINARY_ADD, lhs, rhs.scalarOperand)
    }
    /// Adds a number to every element.
    @inlinable public static func + <S: TensorScalar>(lhs: S, rhs: Tensor) -> Tensor {
        binary(MT_BINARY_ADD, rhs, lhs.scalarOperand, reversed: true)
    }

    /// Element-wise difference with broadcasting (`torch.sub`).
    @inlinable public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { binary(MT_BINARY_SUB, lhs, rhs) }
    /// Subtracts a number from every element.
    @inlinable public static func - <S: TensorScalar>(lhs: Tensor, rhs: S) -> Tensor {
        binary(MT_BINARY_SUB, lhs, rhs.scalarOperand)
    }
    /// Subtracts every element from a number.
    @inlinable public static func - <S: TensorScalar>(lhs: S, rhs: Tensor) -> Tensor {
        binary(MT_BINARY_SUB, rhs, lhs.scalarOperand, reversed: true)
    }

    /// Element-wise product with broadcasting (`torch.mul`).
    @inlinable public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { binary(MT_BINARY_MUL, lhs, rhs) }
    /// Multiplies every element by a number.
    @inlinable public static func * <S: TensorScalar>(lhs: Tensor, rhs: S) -> Tensor {
        binary(MT_BINARY_MUL, lhs, rhs.scalarOperand)
    }
    /// Multiplies every element by a number.
    @inlinable public static func * <S: TensorScalar>(lhs: S, rhs: Tensor) -> Tensor {
        binary(MT_BINARY_MUL, rhs, lhs.scalarOperand, reversed: true)
    }

    /// Element-wise true division with broadcasting (`torch.div`; integers give a float result).
    @inlinable public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { binary(MT_BINARY_DIV, lhs, rhs) }
    /// Divides every element by a number.
    @inlinable public static func / <S: TensorScalar>(lhs: Tensor, rhs: S) -> Tensor {
        binary(MT_BINARY_DIV, lhs, rhs.scalarOperand)
    }
    /// Divides a number by every element.
    @inlinable public static func / <S: TensorScalar>(lhs: S, rhs: Tensor) -> Tensor {
        binary(MT_BINARY_DIV, rhs, lhs.scalarOperand, reversed: true)
    }

    /// Element-wise negation (`torch.neg`).
    @inlinable public static prefix func - (operand: Tensor) -> Tensor { operand.unary(MT_UNARY_NEG) }

    /// Adds `rhs` to `lhs` in place (`add_`); `lhs` keeps its shape and dtype.
    @inlinable public static func += (lhs: Tensor, rhs: Tensor) { lhs.add_(rhs) }
    /// Adds a number to `lhs` in place.
    @inlinable public static func += <S: TensorScalar>(lhs: Tensor, rhs: S) { lhs.add_(rhs) }
    /// Subtracts `rhs` from `lhs` in place (`sub_`).
    @inlinable public static func -= (lhs: Tensor, rhs: Tensor) { lhs.sub_(rhs) }
    /// Subtracts a number from `lhs` in place.
    @inlinable public static func -= <S: TensorScalar>(lhs: Tensor, rhs: S) { lhs.sub_(rhs) }
    /// Multiplies `lhs` by `rhs` in place (`mul_`).
    @inlinable public static func *= (lhs: Tensor, rhs: Tensor) { lhs.mul_(rhs) }
    /// Multiplies `lhs` by a number in place.
    @inlinable public static func *= <S: TensorScalar>(lhs: Tensor, rhs: S) { lhs.mul_(rhs) }
    /// Divides `lhs` by `rhs` in place (`div_`; `lhs` must be floating-point).
    @inlinable public static func /= (lhs: Tensor, rhs: Tensor) { lhs.div_(rhs) }
    /// Divides `lhs` by a number in place.
    @inlinable public static func /= <S: TensorScalar>(lhs: Tensor, rhs: S) { lhs.div_(rhs) }
}

// MARK: In-place methods

extension Tensor {
    /// Adds `other` (broadcast to this shape) in place; returns `self`.
    @inlinable @discardableResult
    public func add_(_ other: Tensor) -> Tensor { Tensor.binaryInPlace(MT_BINARY_ADD, self, other) }
    /// Adds a number in place; returns `self`.
    @inlinable @discardableResult
    public func add_<S: TensorScalar>(_ other: S) -> Tensor {
        Tensor.binaryInPlace(MT_BINARY_ADD, self, other.scalarOperand)
    }
    /// Subtracts `other` (broadcast to this shape) in place; returns `self`.
    @inlinable @discardableResult
    public func sub_(_ other: Tensor) -> Tensor { Tensor.binaryInPlace(MT_BINARY_SUB, self, other) }
    /// Subtracts a number in place; returns `self`.
    @inlinable @discardableResult
    public func sub_<S: TensorScalar>(_ other: S) -> Tensor {
        Tensor.binaryInPlace(MT_BINARY_SUB, self, other.scalarOperand)
    }
    /// Multiplies by `other` (broadcast to this shape) in place; returns `self`.
    @inlinable @discardableResult
    public func mul_(_ other: Tensor) -> Tensor { Tensor.binaryInPlace(MT_BINARY_MUL, self, other) }
    /// Multiplies by a number in place; returns `self`.
    @inlinable @discardableResult
    public func mul_<S: TensorScalar>(_ other: S) -> Tensor {
        Tensor.binaryInPlace(MT_BINARY_MUL, self, other.scalarOperand)
    }
    /// Divides by `other` (broadcast to this shape) in place; returns `self`.
    @inlinable @discardableResult
    public func div_(_ other: Tensor) -> Tensor { Tensor.binaryInPlace(MT_BINARY_DIV, self, other) }
    /// Divides by a number in place; returns `self`.
    @inlinable @discardableResult
    public func div_<S: TensorScalar>(_ other: S) -> Tensor {
        Tensor.binaryInPlace(MT_BINARY_DIV, self, other.scalarOperand)
    }
    /// Raises every element to `exponent` in place; returns `self`.
    @inlinable @discardableResult
    public func pow_<S: TensorScalar>(_ exponent: S) -> Tensor {
        Tensor.binaryInPlace(MT_BINARY_POW, self, exponent.scalarOperand)
    }
    /// Negates in place; returns `self`.
    @inlinable @discardableResult
    public func neg_() -> Tensor { unaryInPlace(MT_UNARY_NEG) }
}

// MARK: Powers and integer division

extension Tensor {
    /// `self` raised to `exponent`, element-wise with broadcasting (`torch.pow`).
    @inlinable public func pow(_ exponent: Tensor) -> Tensor { Tensor.binary(MT_BINARY_POW, self, exponent) }
    /// Every element raised to `exponent` (`x.pow(2)`).
    @inlinable public func pow<S: TensorScalar>(_ exponent: S) -> Tensor {
        Tensor.binary(MT_BINARY_POW, self, exponent.scalarOperand)
    }
    /// `base` raised to each element of `exponent` (`torch.pow(2, x)`).
    @inlinable public static func pow<S: TensorScalar>(_ base: S, _ exponent: Tensor) -> Tensor {
        binary(MT_BINARY_POW, exponent, base.scalarOperand, reversed: true)
    }

    /// The remainder of division with the sign of the divisor (`torch.remainder`, Python's `%`).
    @inlinable public func remainder(_ divisor: Tensor) -> Tensor {
        Tensor.binary(MT_BINARY_REMAINDER, self, divisor)
    }
    /// The remainder of division by a number, with the sign of the divisor.
    @inlinable public func remainder<S: TensorScalar>(_ divisor: S) -> Tensor {
        Tensor.binary(MT_BINARY_REMAINDER, self, divisor.scalarOperand)
    }

    /// Division rounded toward negative infinity (`torch.floor_divide`, Python's `//`).
    @inlinable public func floorDivide(_ divisor: Tensor) -> Tensor {
        Tensor.binary(MT_BINARY_FLOOR_DIVIDE, self, divisor)
    }
    /// Division by a number rounded toward negative infinity.
    @inlinable public func floorDivide<S: TensorScalar>(_ divisor: S) -> Tensor {
        Tensor.binary(MT_BINARY_FLOOR_DIVIDE, self, divisor.scalarOperand)
    }
}
