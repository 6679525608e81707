/// Flips each of the chosen spatial axes with probability `probability`, independently
/// (TorchIO's `RandomFlip`; MONAI's `RandAxisFlip` flips one axis).
public struct RandomFlip: RandomTransform {
    /// Spatial axes (0 is the first spatial dimension, after the channels).
    public let axes: [Int]
    /// The probability of flipping each axis.
    public let probability: Double

    /// Flips of `axes`, each with `probability`.
    public init(axes: [Int] = [0, 1], probability: Double = 0.5) {
        self.axes = axes
        self.probability = probability
    }

    public func callAsFunction(_ tensors: [Tensor], generator: Generator) -> [Tensor] {
        let flipped = axes.filter { _ in generator.happens(probability) }
        guard !flipped.isEmpty else { return tensors }
        return tensors.map { $0.flip(dims: flipped.map { $0 + 1 }) }
    }
}

extension ATen {
    static let rot90 = ATenOperator("aten::rot90")
}

/// Rotates by `k` quarter turns, `k` drawn from `1...maxK`, with probability `probability`
/// (MONAI's `RandRotate90`): exact, no interpolation.
public struct RandomRotate90: RandomTransform {
    /// The plane of rotation, two spatial axes; turns go from the first towards the second.
    public let axes: (Int, Int)
    /// The largest number of quarter turns.
    public let maxK: Int
    /// The probability of rotating.
    public let probability: Double

    /// Quarter turns in the plane of `axes`.
    public init(axes: (Int, Int) = (0, 1), maxK: Int = 3, probability: Double = 0.5) {
        self.axes = axes
        self.maxK = maxK
        self.probability = probability
    }

    public func callAsFunction(_ tensors: [Tensor], generator: Generator) -> [Tensor] {
        guard generator.happens(probability) else { return tensors }
        let k = generator.integer(1...maxK)
        return tensors.map { ATen.rot90(.tensor($0), .int(k), .ints([axes.0 + 1, axes.1 + 1])) }
    }
}
