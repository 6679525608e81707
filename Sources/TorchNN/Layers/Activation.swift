private extension ATen {
    static let leakyReluInPlace = ATenOperator("aten::leaky_relu_")
    static let eluInPlace = ATenOperator("aten::elu_")
}

/// `max(0, x)` (`nn.ReLU`); with `inPlace`, overwrites the input and returns it.
public final class ReLU: Module, UnaryLayer {
    /// Whether the input is overwritten.
    public let inPlace: Bool

    /// A ReLU, in place when `inPlace`.
    public init(inPlace: Bool = false) { self.inPlace = inPlace }

    /// `max(0, input)`, shaped like the input.
    public func forward(_ input: Tensor) -> Tensor { inPlace ? input.relu_() : Functional.relu(input) }
}

/// `x` for `x ≥ 0`, `negativeSlope·x` otherwise (`nn.LeakyReLU`).
public final class LeakyReLU: Module, UnaryLayer {
    /// The slope for negative inputs.
    public let negativeSlope: Double
    /// Whether the input is overwritten.
    public let inPlace: Bool

    /// A leaky ReLU with PyTorch's default slope 0.01.
    public init(negativeSlope: Double = 0.01, inPlace: Bool = false) {
        self.negativeSlope = negativeSlope
        self.inPlace = inPlace
    }

    /// The activation, shaped like the input.
    public func forward(_ input: Tensor) -> Tensor {
        guard inPlace else { return Functional.leakyRelu(input, negativeSlope: negativeSlope) }
        _ = ATen.leakyReluInPlace(.tensor(input), .double(negativeSlope))
        return input
    }
}

/// A leaky ReLU whose negative slope is learnt (`nn.PReLU`): one slope shared by all channels
/// (`numParameters: 1`) or one per channel `C` of `[N, C, ...]`, initialised to `initialValue`.
public final class PReLU: Module, UnaryLayer {
    /// `[numParameters]` slopes.
    @Parameter public var weight: Tensor

    /// Slopes for `numParameters` channels (1: shared), each starting at `initialValue` (PyTorch's `init`).
    public init(numParameters: Int = 1, initialValue: Double = 0.25, dtype: DType? = nil, device: Device? = nil) {
        weight = Tensor.full([numParameters], initialValue, dtype: dtype, device: device)
    }

    /// The activation, shaped like the input.
    public func forward(_ input: Tensor) -> Tensor { Functional.prelu(input, weight: weight) }
}

/// `x` for `x > 0`, `alpha·(eˣ - 1)` otherwise (`nn.ELU`).
public final class ELU: Module, UnaryLayer {
    /// The negative saturation value's magnitude.
    public let alpha: Double
    /// Whether the input is overwritten.
    public let inPlace: Bool

    /// An ELU with PyTorch's default `alpha` 1.
    public init(alpha: Double = 1, inPlace: Bool = false) {
        self.alpha = alpha
        self.inPlace = inPlace
    }

    /// The activation, shaped like the input.
    public func forward(_ input: Tensor) -> Tensor {
        guard inPlace else { return Functional.elu(input, alpha: alpha) }
        _ = ATen.eluInPlace(.tensor(input), .double(alpha))
        return input
    }
}

/// `x·Φ(x)` (`nn.GELU`), exact or with the tanh approximation.
public final class GELU: Module, UnaryLayer {
    /// How Φ is evaluated.
    public let approximate: GELUApproximation

    /// A GELU, exact by default.
    public init(approximate: GELUApproximation = .none) { self.approximate = approximate }

    /// The activation, shaped like the input.
    public func forward(_ input: Tensor) -> Tensor { Functional.gelu(input, approximate: approximate) }
}

/// `x·sigmoid(x)` (`nn.SiLU`, swish).
public final class SiLU: Module, UnaryLayer {
    /// A SiLU.
    override public init() {}

    /// The activation, shaped like the input.
    public func forward(_ input: Tensor) -> Tensor { Functional.silu(input) }
}

/// `1/(1 + e⁻ˣ)` (`nn.Sigmoid`).
public final class Sigmoid: Module, UnaryLayer {
    /// A sigmoid.
    override public init() {}

    /// The activation, shaped like the input.
    public func forward(_ input: Tensor) -> Tensor { input.sigmoid() }
}

/// `tanh(x)` (`nn.Tanh`).
public final class Tanh: Module, UnaryLayer {
    /// A tanh.
    override public init() {}

    /// The activation, shaped like the input.
    public func forward(_ input: Tensor) -> Tensor { input.tanh() }
}

/// `eˣ / Σ eˣ` along `dim` (`nn.Softmax`).
public final class Softmax: Module, UnaryLayer {
    /// The dimension the outputs sum to 1 along.
    public let dim: Int

    /// A softmax along `dim`.
    public init(dim: Int) { self.dim = dim }

    /// The probabilities, shaped like the input.
    public func forward(_ input: Tensor) -> Tensor { Functional.softmax(input, dim: dim) }
}
