extension ATen {
    static let multinomial = ATenOperator("aten::multinomial")
}

/// Indices drawn with probability proportional to their weights (PyTorch's `WeightedRandomSampler`).
///
/// Epoch `e` is `torch.multinomial(torch.tensor(weights, dtype=torch.double), count, replacement,
/// generator=torch.Generator().manual_seed(seed + e))`.
public struct WeightedRandomSampler: Sampler {
    /// The weight of each dataset index (non-negative, not all zero).
    public let weights: [Double]
    /// Indices drawn per epoch.
    public let count: Int
    /// Whether an index may be drawn more than once in an epoch.
    public let replacement: Bool
    /// The seed of epoch 0; epoch `e` uses `seed + e`.
    public let seed: UInt64

    /// `count` draws (at most `weights.count` without replacement) weighted by `weights`.
    /// - Throws: `DataError` when the weights are empty, negative, not finite or all zero.
    public init(weights: [Double], count: Int, replacement: Bool = true, seed: UInt64 = 0) throws {
        guard !weights.isEmpty, weights.allSatisfy({ $0 >= 0 && $0.isFinite }), weights.contains(where: { $0 > 0 })
        else { throw DataError(file: "sampler", field: "weights", "need finite non-negative weights, not all zero") }
        guard count > 0, replacement || count <= weights.count else {
            throw DataError(file: "sampler", field: "count", "cannot draw \(count) of \(weights.count) without replacement")
        }
        self.weights = weights
        self.count = count
        self.replacement = replacement
        self.seed = seed
    }

    public func indices(epoch: Int) -> [Int] {
        let generator = Generator(seed: seed &+ UInt64(truncatingIfNeeded: epoch))
        return ATen.multinomial(
            .tensor(Tensor(weights)), .int(count), .bool(replacement), .generator(generator)
        ).toArray(of: Int.self)
    }

    /// Weights that favour samples with large lesions but keep every sample possible: sample `i`,
    /// with lesion area `a_i` (e.g. foreground voxels of its mask), gets
    /// `(a_i + uniformFraction · S / N) / ((1 + uniformFraction) · S)`, with `S = Σ a` and `N` samples
    /// — a mixture of the area distribution and `uniformFraction` of the uniform one, which sums to
    /// 1 (Buda et al.'s brain-segmentation loader, in the torch-for-R blog post). Without any
    /// lesion the weights are uniform.
    /// - Returns: one weight per area.
    public static func lesionWeights(areas: [Double], uniformFraction: Double = 0.1) -> [Double] {
        let total = areas.reduce(0, +)
        let count = Double(areas.count)
        guard total > 0 else { return areas.map { _ in 1 / count } }
        return areas.map { ($0 + total * uniformFraction / count) / (total * (1 + uniformFraction)) }
    }
}
