/// Label-balanced patch sampling (MONAI's `RandCropByPosNegLabel`): `numSamples` crops of
/// `spatialSize`, each centred on a foreground voxel (label > 0) with probability
/// `pos / (pos + neg)`, else on a background voxel, the centre then moved just enough for the crop
/// to fit inside the image (MONAI's `correct_crop_centers`).
///
/// Without foreground voxels every crop is centred on background, and the other way round.
public struct PosNegLabelCropSampler: Sendable {
    /// The crop size per spatial dimension (at most the image's).
    public let spatialSize: [Int]
    /// The weight of foreground centres.
    public let pos: Double
    /// The weight of background centres.
    public let neg: Double
    /// Crops per call.
    public let numSamples: Int

    /// Crops of `spatialSize`, foreground-centred with probability `pos / (pos + neg)`.
    public init(spatialSize: [Int], pos: Double = 1, neg: Double = 1, numSamples: Int = 1) {
        precondition(pos >= 0 && neg >= 0 && pos + neg > 0, "pos and neg must be non-negative, not both 0")
        self.spatialSize = spatialSize
        self.pos = pos
        self.neg = neg
        self.numSamples = numSamples
    }

    /// The crop centres for `label` `[1, spatial…]` (or `[spatial…]`), drawn from `generator`.
    /// - Returns: `numSamples` centres, one voxel index per spatial dimension.
    public func centres(label: Tensor, generator: Generator) -> [[Int]] {
        let map = label.rank == spatialSize.count + 1 ? label.squeeze(dim: 0) : label
        let shape = map.shape
        let flat = map.flatten()
        let foreground = (flat .> 0).nonzero().flatten().toArray(of: Int.self)
        let background = (flat .<= 0).nonzero().flatten().toArray(of: Int.self)
        let ratio = foreground.isEmpty ? 0 : background.isEmpty ? 1 : pos / (pos + neg)
        return (0..<numSamples).map { _ in
            let pool = generator.uniform(0...1) < ratio ? foreground : background
            let flatIndex = pool[generator.integer(0...(pool.count - 1))]
            return Self.correctedCentre(unravel(flatIndex, shape), size: spatialSize, shape: shape)
        }
    }

    /// The crops of every tensor in `tensors` (`[C, spatial…]`, aligned with `label`).
    /// - Returns: `numSamples` lists, each with one crop per tensor.
    public func callAsFunction(_ tensors: [Tensor], label: Tensor, generator: Generator) -> [[Tensor]] {
        centres(label: label, generator: generator).map { centre in
            tensors.map { SpatialSize.crop($0, centre: centre, size: spatialSize) }
        }
    }

    /// MONAI's `correct_crop_centers`: each coordinate clamped to `[⌊s/2⌋, ⌊n + 1 − s/2⌋ − 1]`
    /// (the upper bound raised by one when the two meet).
    static func correctedCentre(_ centre: [Int], size: [Int], shape: [Int]) -> [Int] {
        zip(centre, zip(size, shape)).map { coordinate, dims in
            let (s, n) = dims
            let start = s / 2
            var end = Int((Double(n + 1) - Double(s) / 2).rounded(.down))
            if end == start { end += 1 }
            return min(max(coordinate, start), end - 1)
        }
    }
}

/// The multi-index of row-major flat index `index` in `shape`.
private func unravel(_ index: Int, _ shape: [Int]) -> [Int] {
    var rest = index
    return shape.reversed().map { size in
        defer { rest /= size }
        return rest % size
    }.reversed()
}
