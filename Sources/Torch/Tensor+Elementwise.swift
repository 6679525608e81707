import CTorch

extension ATen {
    static let clamp = ATenOperator("aten::clamp")
    static let clampTensor = ATenOperator("aten::clamp", "Tensor")
    static let clampInPlace = ATenOperator("aten::clamp_")
    static let lerpScalar = ATenOperator("aten::lerp", "Scalar")
    static let lerpTensor = ATenOperator("aten::lerp", "Tensor")
    static let nanToNum = ATenOperator("aten::nan_to_num")
}

// MARK: Unary functions (typed fast paths)

extension Tensor {
    /// The absolute value (for complex tensors, the modulus, as a real tensor) (`torch.abs`).
    @inlinable public func abs() -> Tensor { unary(MT_UNARY_ABS) }
    /// The square root (`torch.sqrt`).
    @inlinable public func sqrt() -> Tensor { unary(MT_UNARY_SQRT) }
    /// The reciprocal of the square root, `1/√x` (`torch.rsqrt`).
    @inlinable public func rsqrt() -> Tensor { unary(MT_UNARY_RSQRT) }
    /// `eˣ` (`torch.exp`).
    @inlinable public func exp() -> Tensor { unary(MT_UNARY_EXP) }
    /// `eˣ - 1`, accurate for small `x` (`torch.expm1`).
    @inlinable public func expm1() -> Tensor { unary(MT_UNARY_EXPM1) }
    /// The natural logarithm (`torch.log`).
    @inlinable public func log() -> Tensor { unary(MT_UNARY_LOG) }
    /// `log(1 + x)`, accurate for small `x` (`torch.log1p`).
    @inlinable public func log1p() -> Tensor { unary(MT_UNARY_LOG1P) }
    /// The base-2 logarithm (`torch.log2`).
    @inlinable public func log2() -> Tensor { unary(MT_UNARY_LOG2) }
    /// The base-10 logarithm (`torch.log10`).
    @inlinable public func log10() -> Tensor { unary(MT_UNARY_LOG10) }
    /// The sine, in radians (`torch.sin`).
    @inlinable public func sin() -> Tensor { unary(MT_UNARY_SIN) }
    /// The cosine, in radians (`torch.cos`).
    @inlinable public func cos() -> Tensor { unary(MT_UNARY_COS) }
    /// The tangent, in radians (`torch.tan`).
    @inlinable public func tan() -> Tensor { unary(MT_UNARY_TAN) }
    /// The arcsine, in radians (`torch.asin`).
    @inlinable public func asin() -> Tensor { unary(MT_UNARY_ASIN) }
    /// The arccosine, in radians (`torch.acos`).
    @inlinable public func acos() -> Tensor { unary(MT_UNARY_ACOS) }
    /// The arctangent, in radians (`torch.atan`).
    @inlinable public func atan() -> Tensor { unary(MT_UNARY_ATAN) }
    /// The hyperbolic sine (`torch.sinh`).
    @inlinable public func sinh() -> Tensor { unary(MT_UNARY_SINH) }
    /// The hyperbolic cosine (`torch.cosh`).
    @inlinable public func cosh() -> Tensor { unary(MT_UNARY_COSH) }
    /// The hyperbolic tangent (`torch.tanh`).
    @inlinable public func tanh() -> Tensor { unary(MT_UNARY_TANH) }
    /// The logistic function `1 / (1 + e⁻ˣ)` (`torch.sigmoid`).
    @inlinable public func sigmoid() -> Tensor { unary(MT_UNARY_SIGMOID) }
    /// `max(x, 0)` (`torch.relu`).
    @inlinable public func relu() -> Tensor { unary(MT_UNARY_RELU) }
    /// -1, 0 or 1 by the sign of each element (`torch.sign`).
    @inlinable public func sign() -> Tensor { unary(MT_UNARY_SIGN) }
    /// Rounded down to an integral value (`torch.floor`).
    @inlinable public func floor() -> Tensor { unary(MT_UNARY_FLOOR) }
    /// Rounded up to an integral value (`torch.ceil`).
    @inlinable public func ceil() -> Tensor { unary(MT_UNARY_CEIL) }
    /// Rounded to the nearest integral value, ties to even (`torch.round`).
    @inlinable public func round() -> Tensor { unary(MT_UNARY_ROUND) }
    /// Rounded toward zero (`torch.trunc`).
    @inlinable public func trunc() -> Tensor { unary(MT_UNARY_TRUNC) }
    /// `1/x` (`torch.reciprocal`; integers give a float result).
    @inlinable public func reciprocal() -> Tensor { unary(MT_UNARY_RECIPROCAL) }
    /// `x²` (`torch.square`).
    @inlinable public func square() -> Tensor { unary(MT_UNARY_SQUARE) }
    /// The error function (`torch.erf`).
    @inlinable public func erf() -> Tensor { unary(MT_UNARY_ERF) }
    /// Whether each element is NaN, as a `bool` tensor (`torch.isnan`).
    @inlinable public func isnan() -> Tensor { unary(MT_UNARY_ISNAN) }
    /// Whether each element is finite (not ±∞ or NaN), as a `bool` tensor (`torch.isfinite`).
    @inlinable public func isfinite() -> Tensor { unary(MT_UNARY_ISFINITE) }
}

// MARK: In-place unary functions

extension Tensor {
    /// `abs()` in place; returns `self`.
    @inlinable @discardableResult public func abs_() -> Tensor { unaryInPlace(MT_UNARY_ABS) }
    /// `sqrt()` in place; returns `self`.
    @inlinable @discardableResult public func sqrt_() -> Tensor { unaryInPlace(MT_UNARY_SQRT) }
    /// `rsqrt()` in place; returns `self`.
    @inlinable @discardableResult public func rsqrt_() -> Tensor { unaryInPlace(MT_UNARY_RSQRT) }
    /// `exp()` in place; returns `self`.
    @inlinable @discardableResult public func exp_() -> Tensor { unaryInPlace(MT_UNARY_EXP) }
    /// `expm1()` in place; returns `self`.
    @inlinable @discardableResult public func expm1_() -> Tensor { unaryInPlace(MT_UNARY_EXPM1) }
    /// `log()` in place; returns `self`.
    @inlinable @discardableResult public func log_() -> Tensor { unaryInPlace(MT_UNARY_LOG) }
    /// `log1p()` in place; returns `self`.
    @inlinable @discardableResult public func log1p_() -> Tensor { unaryInPlace(MT_UNARY_LOG1P) }
    /// `log2()` in place; returns `self`.
    @inlinable @discardableResult public func log2_() -> Tensor { unaryInPlace(MT_UNARY_LOG2) }
    /// `log10()` in place; returns `self`.
    @inlinable @discardableResult public func log10_() -> Tensor { unaryInPlace(MT_UNARY_LOG10) }
    /// `sin()` in place; returns `self`.
    @inlinable @discardableResult public func sin_() -> Tensor { unaryInPlace(MT_UNARY_SIN) }
    /// `cos()` in place; returns `self`.
    @inlinable @discardableResult public func cos_() -> Tensor { unaryInPlace(MT_UNARY_COS) }
    /// `tan()` in place; returns `self`.
    @inlinable @discardableResult public func tan_() -> Tensor { unaryInPlace(MT_UNARY_TAN) }
    /// `asin()` in place; returns `self`.
    @inlinable @discardableResult public func asin_() -> Tensor { unaryInPlace(MT_UNARY_ASIN) }
    /// `acos()` in place; returns `self`.
    @inlinable @discardableResult public func acos_() -> Tensor { unaryInPlace(MT_UNARY_ACOS) }
    /// `atan()` in place; returns `self`.
    @inlinable @discardableResult public func atan_() -> Tensor { unaryInPlace(MT_UNARY_ATAN) }
    /// `sinh()` in place; returns `self`.
    @inlinable @discardableResult public func sinh_() -> Tensor { unaryInPlace(MT_UNARY_SINH) }
    /// `cosh()` in place; returns `self`.
    @inlinable @discardableResult public func cosh_() -> Tensor { unaryInPlace(MT_UNARY_COSH) }
    /// `tanh()` in place; returns `self`.
    @inlinable @discardableResult public func tanh_() -> Tensor { unaryInPlace(MT_UNARY_TANH) }
    /// `sigmoid()` in place; returns `self`.
    @inlinable @discardableResult public func sigmoid_() -> Tensor { unaryInPlace(MT_UNARY_SIGMOID) }
    /// `relu()` in place; returns `self`.
    @inlinable @discardableResult public func relu_() -> Tensor { unaryInPlace(MT_UNARY_RELU) }
    /// `sign()` in place; returns `self`.
    @inlinable @discardableResult public func sign_() -> Tensor { unaryInPlace(MT_UNARY_SIGN) }
    /// `floor()` in place; returns `self`.
    @inlinable @discardableResult public func floor_() -> Tensor { unaryInPlace(MT_UNARY_FLOOR) }
    /// `ceil()` in place; returns `self`.
    @inlinable @discardableResult public func ceil_() -> Tensor { unaryInPlace(MT_UNARY_CEIL) }
    /// `round()` in place; returns `self`.
    @inlinable @discardableResult public func round_() -> Tensor { unaryInPlace(MT_UNARY_ROUND) }
    /// `trunc()` in place; returns `self`.
    @inlinable @discardableResult public func trunc_() -> Tensor { unaryInPlace(MT_UNARY_TRUNC) }
    /// `reciprocal()` in place; returns `self`.
    @inlinable @discardableResult public func reciprocal_() -> Tensor { unaryInPlace(MT_UNARY_RECIPROCAL) }
    /// `square()` in place; returns `self`.
    @inlinable @discardableResult public func square_() -> Tensor { unaryInPlace(MT_UNARY_SQUARE) }
    /// `erf()` in place; returns `self`.
    @inlinable @discardableResult public func erf_() -> Tensor { unaryInPlace(MT_UNARY_ERF) }
}

// MARK: Binary and parameterised functions

extension Tensor {
    /// The element-wise larger of `self` and `other`, with broadcasting (`torch.maximum`; NaN wins).
    @inlinable public func maximum(_ other: Tensor) -> Tensor { Tensor.binary(MT_BINARY_MAXIMUM, self, other) }
    /// The element-wise smaller of `self` and `other`, with broadcasting (`torch.minimum`; NaN wins).
    @inlinable public func minimum(_ other: Tensor) -> Tensor { Tensor.binary(MT_BINARY_MINIMUM, self, other) }
    /// The angle of the point (`other`, `self`), i.e. `atan(self / other)` in the right quadrant (`torch.atan2`).
    @inlinable public func atan2(_ other: Tensor) -> Tensor { Tensor.binary(MT_BINARY_ATAN2, self, other) }

    /// Each element limited to `[min, max]`; either bound may be omitted (`torch.clamp`).
    public func clamp<S: TensorScalar>(min: S? = nil, max: S? = nil) -> Tensor {
        ATen.clamp(.tensor(self), Tensor.optionalScalar(min), Tensor.optionalScalar(max))
    }
    /// Each element limited to the bounds' elements (broadcast); either bound may be omitted.
    public func clamp(min: Tensor? = nil, max: Tensor? = nil) -> Tensor {
        ATen.clampTensor(.tensor(self), .optionalTensor(min), .optionalTensor(max))
    }
    /// `clamp(min:max:)` in place; returns `self`.
    @discardableResult
    public func clamp_<S: TensorScalar>(min: S? = nil, max: S? = nil) -> Tensor {
        _ = ATen.clampInPlace(.tensor(self), Tensor.optionalScalar(min), Tensor.optionalScalar(max))
        return self
    }

    /// `self + weight·(end - self)` (`torch.lerp`).
    public func lerp(_ end: Tensor, weight: Double) -> Tensor {
        ATen.lerpScalar(.tensor(self), .tensor(end), .double(weight))
    }
    /// `self + weight·(end - self)` with a per-element `weight` (broadcast).
    public func lerp(_ end: Tensor, weight: Tensor) -> Tensor {
        ATen.lerpTensor(.tensor(self), .tensor(end), .tensor(weight))
    }

    /// NaN, +∞ and -∞ replaced by `nan`, `posinf` and `neginf` (`torch.nan_to_num`); an omitted
    /// infinity becomes the dtype's largest (or lowest) finite value.
    public func nanToNum(nan: Double = 0, posinf: Double? = nil, neginf: Double? = nil) -> Tensor {
        ATen.nanToNum(
            .tensor(self), .double(nan), posinf.map { .double($0) } ?? .none, neginf.map { .double($0) } ?? .none)
    }

    /// An optional `Scalar` argument.
    static func optionalScalar<S: TensorScalar>(_ value: S?) -> ATenArgument {
        value.map { $0.scalarOperand.argument } ?? .none
    }
}
