import Foundation

/// Gaussian smoothing of `[C, spatial…]`, separable, one standard deviation per spatial axis (in
/// voxels), with SciPy's `gaussian_filter(mode="constant", truncate=4)` kernel: sampled at integer
/// offsets up to `round(4σ)`, normalised to sum 1, zero outside the image.
public struct GaussianBlur: RandomTransform {
    /// The range the standard deviation (voxels, all axes alike) is drawn from.
    public let sigma: ClosedRange<Double>
    /// The probability of blurring.
    public let probability: Double

    /// Blurs with σ uniform in `sigma` (a single value gives a fixed blur).
    public init(sigma: ClosedRange<Double>, probability: Double = 1) {
        self.sigma = sigma
        self.probability = probability
    }

    public func callAsFunction(_ tensors: [Tensor], generator: Generator) -> [Tensor] {
        guard generator.happens(probability) else { return tensors }
        let drawn = generator.uniform(sigma)
        return tensors.map { Self.blur($0, sigma: Array(repeating: drawn, count: $0.rank - 1)) }
    }

    /// `image` `[C, spatial…]` smoothed with standard deviations `sigma` (one per spatial axis; 0 skips one).
    public static func blur(_ image: Tensor, sigma: [Double]) -> Tensor {
        precondition(sigma.count == image.rank - 1, "blur: one sigma per spatial axis of \(image.shape)")
        var result = image
        for (axis, deviation) in zip(1..<image.rank, sigma) where deviation > 0 {
            let radius = Int(4 * deviation + 0.5)
            let weights = (-radius...radius).map { exp(-0.5 * Double($0 * $0) / (deviation * deviation)) }
            let total = weights.reduce(0, +)
            let kernel = Tensor(weights.map { $0 / total }, shape: [1, 1, 2 * radius + 1]).to(dtype: result.dtype)
            // Filter along `axis`: move it last, fold the others into the batch.
            let moved = result.transpose(axis, result.rank - 1).contiguous()
            let lines = moved.reshape([-1, 1, moved.shape[moved.rank - 1]])
            let filtered = Functional.conv1d(lines, weight: kernel, padding: [radius]).reshape(moved.shape)
            result = filtered.transpose(axis, result.rank - 1)
        }
        return result.contiguous()
    }
}
