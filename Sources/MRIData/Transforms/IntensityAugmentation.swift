/// Adds Gaussian noise of mean `mean` and standard deviation `std` with probability `probability`
/// (MONAI's `RandGaussianNoise` with `sample_std=False`, TorchIO's `RandomNoise`).
public struct RandomGaussianNoise: RandomTransform {
    /// The noise mean.
    public let mean: Double
    /// The noise standard deviation.
    public let std: Double
    /// The probability of adding noise.
    public let probability: Double

    /// Noise 𝒩(`mean`, `std`²), added with `probability`.
    public init(mean: Double = 0, std: Double = 0.1, probability: Double = 1) {
        self.mean = mean
        self.std = std
        self.probability = probability
    }

    public func callAsFunction(_ tensors: [Tensor], generator: Generator) -> [Tensor] {
        guard generator.happens(probability) else { return tensors }
        return tensors.map { $0 + Tensor.randn($0.shape, dtype: $0.dtype, generator: generator) * std + mean }
    }
}

/// Raises the intensities, rescaled to `[0, 1]`, to a random power γ (MONAI's `RandAdjustContrast`):
/// `((x − min) / (max − min + 1e-7))^γ · (max − min) + min`.
public struct RandomGamma: RandomTransform {
    /// The range γ is drawn from.
    public let gamma: ClosedRange<Double>
    /// The probability of adjusting.
    public let probability: Double

    /// Contrast changes with γ uniform in `gamma`.
    public init(gamma: ClosedRange<Double> = 0.5...4.5, probability: Double = 1) {
        self.gamma = gamma
        self.probability = probability
    }

    public func callAsFunction(_ tensors: [Tensor], generator: Generator) -> [Tensor] {
        guard generator.happens(probability) else { return tensors }
        let exponent = generator.uniform(gamma)
        return tensors.map { Self.adjust($0, gamma: exponent) }
    }

    /// MONAI's `AdjustContrast(gamma)` of `image`.
    public static func adjust(_ image: Tensor, gamma: Double) -> Tensor {
        let low = image.min().item(Double.self)
        let range = image.max().item(Double.self) - low
        return ((image - low) / (range + 1e-7)).pow(gamma) * range + low
    }
}

/// Multiplies by a smooth random bias field `exp(Σ cᵢⱼₖ xⁱ yʲ zᵏ)`, a polynomial of degree at most
/// `order` over coordinates running from −1 to 1 across the image, each coefficient uniform in
/// `±coefficients` (TorchIO's `RandomBiasField`).
public struct RandomBiasField: RandomTransform {
    /// The largest absolute coefficient.
    public let coefficients: Double
    /// The polynomial's degree.
    public let order: Int
    /// The probability of applying a field.
    public let probability: Double

    /// Fields of degree `order` with coefficients in `±coefficients`.
    public init(coefficients: Double = 0.5, order: Int = 3, probability: Double = 1) {
        self.coefficients = coefficients
        self.order = order
        self.probability = probability
    }

    public func callAsFunction(_ tensors: [Tensor], generator: Generator) -> [Tensor] {
        guard let first = tensors.first, generator.happens(probability) else { return tensors }
        let spatial = Array(first.shape.dropFirst())
        // Coordinates broadcast along their own axis: [1, …, n, …, 1].
        let axes = spatial.indices.map { axis in
            Tensor.linspace(-1, 1, steps: spatial[axis], dtype: .float32)
                .reshape(spatial.indices.map { $0 == axis ? spatial[axis] : 1 })
        }
        var bias = Tensor.zeros(spatial)
        for powers in exponents(dims: spatial.count, order: order) {
            let term = zip(axes, powers).reduce(Tensor.ones(spatial)) { $0 * $1.0.pow(Double($1.1)) }
            bias = bias + term * generator.uniform(-coefficients...coefficients)
        }
        let field = bias.exp()
        return tensors.map { $0 * field.to(dtype: $0.dtype) }
    }

    /// Every exponent tuple of `dims` non-negative integers summing to at most `order`.
    private func exponents(dims: Int, order: Int) -> [[Int]] {
        guard dims > 0 else { return [[]] }
        return (0...order).flatMap { first in exponents(dims: dims - 1, order: order - first).map { [first] + $0 } }
    }
}
