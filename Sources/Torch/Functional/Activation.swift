private extension ATen {
    static let leakyRelu = ATenOperator("aten::leaky_relu")
    static let prelu = ATenOperator("aten::prelu")
    static let elu = ATenOperator("aten::elu")
    static let selu = ATenOperator("aten::selu")
    static let gelu = ATenOperator("aten::gelu")
    static let silu = ATenOperator("aten::silu")
    static let softplus = ATenOperator("aten::softplus")
    static let hardtanh = ATenOperator("aten::hardtanh")
    static let softmax = ATenOperator("aten::softmax", "int")
    static let logSoftmax = ATenOperator("aten::log_softmax", "int")
}

/// How `Functional.gelu` evaluates the Gaussian CDF.
public enum GELUApproximation: String, Sendable {
    /// The exact `x·Φ(x)`.
    case none
    /// `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`.
    case tanh
}

extension Functional {
    /// `max(0, x)`.
    public static func relu(_ input: Tensor) -> Tensor { input.relu() }

    /// `x` for `x ≥ 0`, `negativeSlope·x` otherwise.
    public static func leakyRelu(_ input: Tensor, negativeSlope: Double = 0.01) -> Tensor {
        ATen.leakyRelu(.tensor(input), .double(negativeSlope))
    }

    /// `leakyRelu` with a learnt slope: `weight` is `[1]` (shared) or `[C]` (per channel of `[N, C, ...]`).
    public static func prelu(_ input: Tensor, weight: Tensor) -> Tensor {
        ATen.prelu(.tensor(input), .tensor(weight))
    }

    /// `x` for `x > 0`, `alpha·(eˣ - 1)` otherwise.
    public static func elu(_ input: Tensor, alpha: Double = 1) -> Tensor {
        ATen.elu(.tensor(input), .double(alpha))
    }

    /// `scale·elu(x, alpha)` with the self-normalising constants of Klambauer et al. (2017).
    public static func selu(_ input: Tensor) -> Tensor { ATen.selu(.tensor(input)) }

    /// `x·Φ(x)`, Φ the standard normal CDF, exact or `tanh`-approximated.
    public static func gelu(_ input: Tensor, approximate: GELUApproximation = .none) -> Tensor {
        ATen.gelu(.tensor(input), .string(approximate.rawValue))
    }

    /// `x·sigmoid(x)` (swish).
    public static func silu(_ input: Tensor) -> Tensor { ATen.silu(.tensor(input)) }

    /// `log(1 + e^(beta·x))/beta`, linear where `beta·x > threshold` for numerical stability.
    public static func softplus(_ input: Tensor, beta: Double = 1, threshold: Double = 20) -> Tensor {
        ATen.softplus(.tensor(input), .double(beta), .double(threshold))
    }

    /// `x` clamped to `[minValue, maxValue]`.
    public static func hardtanh(_ input: Tensor, minValue: Double = -1, maxValue: Double = 1) -> Tensor {
        ATen.hardtanh(.tensor(input), .double(minValue), .double(maxValue))
    }

    /// `eˣ / Σ eˣ` along `dim` (computed stably); `dtype` converts the input first.
    public static func softmax(_ input: Tensor, dim: Int, dtype: DType? = nil) -> Tensor {
        ATen.softmax(.tensor(input), .int(dim), .optionalDType(dtype))
    }

    /// `log(softmax(x))` along `dim`, computed without forming the softmax.
    public static func logSoftmax(_ input: Tensor, dim: Int, dtype: DType? = nil) -> Tensor {
        ATen.logSoftmax(.tensor(input), .int(dim), .optionalDType(dtype))
    }
}
