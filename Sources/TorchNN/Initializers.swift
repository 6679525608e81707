import Foundation

private extension ATen {
    static let initCopy = ATenOperator("aten::copy_")
    static let initFill = ATenOperator("aten::fill_", "Scalar")
    static let initQR = ATenOperator("aten::linalg_qr")
    static let initDiagonal = ATenOperator("aten::diagonal")
}

/// The activation a weight feeds, for ``Init/calculateGain(_:param:)`` (`torch.nn.init`'s names).
public enum Nonlinearity: String, Sendable {
    case linear, conv1d, conv2d, conv3d
    case convTranspose1d = "conv_transpose1d", convTranspose2d = "conv_transpose2d"
    case convTranspose3d = "conv_transpose3d"
    case sigmoid, tanh, relu
    case leakyRelu = "leaky_relu"
    case selu
}

/// Which fan a Kaiming initialiser keeps the variance of.
public enum FanMode: String, Sendable {
    /// The variance of the forward pass (`fan_in`).
    case fanIn = "fan_in"
    /// The variance of the backward pass (`fan_out`).
    case fanOut = "fan_out"
}

/// Weight initialisers, as `torch.nn.init`: each fills a tensor in place (without recording
/// gradients) and returns it. Formulas for gains and fans are PyTorch's, and random ones draw
/// the same numbers as PyTorch from a generator in the same state (`generator`, or the
/// global one seeded by ``Torch/manualSeed(_:)``).
public enum Init {
    /// The recommended gain for weights feeding `nonlinearity` (`calculate_gain`): 1 for linear,
    /// convolution and sigmoid, 5/3 for tanh, √2 for ReLU, √(2/(1 + slope²)) for leaky ReLU
    /// (`param` is the negative slope, 0.01 when `nil`), 3/4 for SELU.
    public static func calculateGain(_ nonlinearity: Nonlinearity, param: Double? = nil) -> Double {
        switch nonlinearity {
        case .linear, .conv1d, .conv2d, .conv3d, .convTranspose1d, .convTranspose2d, .convTranspose3d, .sigmoid: 1
        case .tanh: 5.0 / 3
        case .relu: 2.0.squareRoot()
        case .leakyRelu:
            (2.0 / (1 + Foundation.pow(param ?? 0.01, 2))).squareRoot()
        case .selu: 3.0 / 4
        }
    }

    /// The fan-in and fan-out of a weight `[out, in, kernel...]`: `in·∏kernel` and `out·∏kernel`.
    public static func fans(_ tensor: Tensor) -> (fanIn: Int, fanOut: Int) {
        let shape = tensor.shape
        precondition(shape.count >= 2, "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
        let receptiveField = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptiveField, shape[0] * receptiveField)
    }

    /// Fills `tensor` with values drawn uniformly from `[a, b)` (`uniform_`).
    @discardableResult
    public static func uniform_(_ tensor: Tensor, a: Double = 0, b: Double = 1, generator: Generator? = nil) -> Tensor {
        withoutGradient { tensor.uniform_(from: a, to: b, generator: generator) }
    }

    /// Fills `tensor` with values drawn from 𝒩(`mean`, `std`²) (`normal_`).
    @discardableResult
    public static func normal_(_ tensor: Tensor, mean: Double = 0, std: Double = 1, generator: Generator? = nil) -> Tensor {
        withoutGradient { tensor.normal_(mean: mean, std: std, generator: generator) }
    }

    /// Fills `tensor` with `value` (`constant_`).
    @discardableResult
    public static func constant_(_ tensor: Tensor, _ value: Double) -> Tensor {
        withoutGradient { _ = ATen.initFill(.tensor(tensor), .double(value)) }
        return tensor
    }

    /// Fills `tensor` with zeros (`zeros_`).
    @discardableResult
    public static func zeros_(_ tensor: Tensor) -> Tensor { constant_(tensor, 0) }

    /// Fills `tensor` with ones (`ones_`).
    @discardableResult
    public static func ones_(_ tensor: Tensor) -> Tensor { constant_(tensor, 1) }

    /// He et al. (2015) uniform initialisation (`kaiming_uniform_`): 𝒰(-b, b) with
    /// `b = gain·√(3/fan)`, `gain = calculateGain(nonlinearity, param: a)`.
    /// PyTorch's `Linear` and convolutions use `a = √5` with the defaults.
    @discardableResult
    public static func kaimingUniform_(
        _ tensor: Tensor, a: Double = 0, mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .leakyRelu,
        generator: Generator? = nil
    ) -> Tensor {
        let bound = 3.0.squareRoot() * kaimingStd(tensor, a: a, mode: mode, nonlinearity: nonlinearity)
        return uniform_(tensor, a: -bound, b: bound, generator: generator)
    }

    /// He et al. (2015) normal initialisation (`kaiming_normal_`): 𝒩(0, std²) with
    /// `std = gain/√fan`, `gain = calculateGain(nonlinearity, param: a)`.
    @discardableResult
    public static func kaimingNormal_(
        _ tensor: Tensor, a: Double = 0, mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .leakyRelu,
        generator: Generator? = nil
    ) -> Tensor {
        normal_(tensor, std: kaimingStd(tensor, a: a, mode: mode, nonlinearity: nonlinearity), generator: generator)
    }

    /// Glorot & Bengio (2010) uniform initialisation (`xavier_uniform_`): 𝒰(-b, b) with
    /// `b = gain·√(6/(fanIn + fanOut))`.
    @discardableResult
    public static func xavierUniform_(_ tensor: Tensor, gain: Double = 1, generator: Generator? = nil) -> Tensor {
        let bound = 3.0.squareRoot() * xavierStd(tensor, gain: gain)
        return uniform_(tensor, a: -bound, b: bound, generator: generator)
    }

    /// Glorot & Bengio (2010) normal initialisation (`xavier_normal_`): 𝒩(0, std²) with
    /// `std = gain·√(2/(fanIn + fanOut))`.
    @discardableResult
    public static func xavierNormal_(_ tensor: Tensor, gain: Double = 1, generator: Generator? = nil) -> Tensor {
        normal_(tensor, std: xavierStd(tensor, gain: gain), generator: generator)
    }

    /// A (semi-)orthogonal matrix times `gain` (`orthogonal_`, Saxe et al. 2013): the Q of the QR
    /// decomposition of a standard normal `[rows, ∏rest]` matrix, signs fixed by R's diagonal.
    /// Trailing dimensions of `tensor` (rank ≥ 2) are flattened.
    @discardableResult
    public static func orthogonal_(_ tensor: Tensor, gain: Double = 1, generator: Generator? = nil) -> Tensor {
        precondition(tensor.rank >= 2, "Only tensors with 2 or more dimensions are supported")
        guard tensor.count > 0 else { return tensor }
        let rows = tensor.size(0)
        let columns = tensor.count / rows
        return withoutGradient {
            var flattened = Tensor.empty([rows, columns], dtype: tensor.dtype, device: tensor.device)
                .normal_(generator: generator)
            if rows < columns { flattened = flattened.transpose(0, 1) }
            let qr = ATen.initQR.tensors(.tensor(flattened))
            var q = qr[0] * ATen.initDiagonal(.tensor(qr[1])).sign()
            if rows < columns { q = q.transpose(0, 1) }
            _ = ATen.initCopy(.tensor(tensor), .tensor(q.reshape(tensor.shape)))
            return tensor.mul_(gain)
        }
    }

    private static func kaimingStd(_ tensor: Tensor, a: Double, mode: FanMode, nonlinearity: Nonlinearity) -> Double {
        let (fanIn, fanOut) = fans(tensor)
        let fan = mode == .fanIn ? fanIn : fanOut
        return calculateGain(nonlinearity, param: a) / Double(fan).squareRoot()
    }

    private static func xavierStd(_ tensor: Tensor, gain: Double) -> Double {
        let (fanIn, fanOut) = fans(tensor)
        return gain * (2.0 / Double(fanIn + fanOut)).squareRoot()
    }
}
