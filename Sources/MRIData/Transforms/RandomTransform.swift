/// A random augmentation: one draw from the generator, applied alike to several aligned tensors
/// (an image and its label map), so reading a sample with the same generator seed gives the same
/// result.
///
/// Tensors are channel-first, `[C, spatial…]` with two or three spatial dimensions (MONAI's layout);
/// all tensors of one call share their spatial size. Geometric transforms resample floating-point
/// tensors with bilinear interpolation and integer or bool tensors (label maps) with the nearest
/// neighbour, keeping their dtype.
public protocol RandomTransform: Sendable {
    /// `tensors` transformed by one random draw from `generator`.
    func callAsFunction(_ tensors: [Tensor], generator: Generator) -> [Tensor]
}

extension RandomTransform {
    /// One tensor transformed by a random draw from `generator`.
    public func callAsFunction(_ tensor: Tensor, generator: Generator) -> Tensor { self([tensor], generator: generator)[0] }
}

/// Several transforms applied in order, each with its own draws from the same generator (MONAI's `Compose`).
public struct Compose: RandomTransform {
    /// The transforms, first applied first.
    public let transforms: [any RandomTransform]

    /// `transforms`, applied in order.
    public init(_ transforms: [any RandomTransform]) { self.transforms = transforms }

    public func callAsFunction(_ tensors: [Tensor], generator: Generator) -> [Tensor] {
        transforms.reduce(tensors) { $1($0, generator: generator) }
    }
}

extension Generator {
    /// One value drawn uniformly from `range` (`torch.rand` scaled; float64).
    func uniform(_ range: ClosedRange<Double>) -> Double {
        Tensor.rand([1], dtype: .float64, generator: self).item(Double.self) * (range.upperBound - range.lowerBound)
            + range.lowerBound
    }

    /// One integer drawn uniformly from `range` (`torch.randint`).
    func integer(_ range: ClosedRange<Int>) -> Int {
        Tensor.randint(low: range.lowerBound, high: range.upperBound + 1, shape: [1], generator: self).item(Int.self)
    }

    /// Whether an event of probability `probability` happens; draws even when the answer is
    /// certain, so the stream does not depend on the probability.
    func happens(_ probability: Double) -> Bool { uniform(0...1) < probability }
}

/// The spatial dimensions of a channel-first tensor `[C, spatial…]`.
func spatialDims(_ tensor: Tensor) -> [Int] {
    precondition(tensor.rank == 3 || tensor.rank == 4, "transforms take [C, H, W] or [C, D, H, W], got \(tensor.shape)")
    return Array(1..<tensor.rank)
}
