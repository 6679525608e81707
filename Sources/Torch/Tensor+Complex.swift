import CTorch

extension ATen {
    static let real = ATenOperator("aten::real")
    static let imag = ATenOperator("aten::imag")
    static let conj = ATenOperator("aten::conj")
    static let conjPhysical = ATenOperator("aten::conj_physical")
    static let angle = ATenOperator("aten::angle")
    static let complex = ATenOperator("aten::complex")
    static let polar = ATenOperator("aten::polar")
    static let viewAsReal = ATenOperator("aten::view_as_real")
    static let viewAsComplex = ATenOperator("aten::view_as_complex")
}

extension Tensor {
    /// The real parts of a complex tensor, as a real view sharing its storage (`x.real`);
    /// a real tensor itself.
    public var real: Tensor { ATen.real(.tensor(self)) }

    /// The imaginary parts of a complex tensor, as a real view sharing its storage (`x.imag`).
    public var imag: Tensor { ATen.imag(.tensor(self)) }

    /// The complex conjugate (`torch.conj`): a lazy view that flips the sign of the imaginary
    /// part when read; a real tensor itself.
    public func conj() -> Tensor { ATen.conj(.tensor(self)) }

    /// The complex conjugate, computed into new memory (`torch.conj_physical`).
    public func conjPhysical() -> Tensor { ATen.conjPhysical(.tensor(self)) }

    /// The argument (phase) of each element in radians, in `(-π, π]` (`torch.angle`); real for complex input.
    public func angle() -> Tensor { ATen.angle(.tensor(self)) }

    /// A complex tensor from real and imaginary parts of the same floating dtype, broadcast
    /// together (`torch.complex`): `float32` parts give `complex64`.
    public static func complex(real: Tensor, imaginary: Tensor) -> Tensor {
        ATen.complex(.tensor(real), .tensor(imaginary))
    }

    /// The complex tensor `abs·e^(i·angle)` (`torch.polar`).
    public static func polar(abs: Tensor, angle: Tensor) -> Tensor { ATen.polar(.tensor(abs), .tensor(angle)) }

    /// A complex tensor `[...]` viewed as real `[..., 2]` (real, imaginary), sharing storage
    /// (`torch.view_as_real`). A lazily conjugated tensor must be resolved first (`conjPhysical()`).
    public func viewAsReal() -> Tensor { ATen.viewAsReal(.tensor(self)) }

    /// A real tensor `[..., 2]` viewed as complex `[...]`, sharing storage (`torch.view_as_complex`);
    /// the last dimension must have stride 1.
    public func viewAsComplex() -> Tensor { ATen.viewAsComplex(.tensor(self)) }
}
