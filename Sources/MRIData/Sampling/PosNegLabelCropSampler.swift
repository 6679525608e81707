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
        let map = spatialLabel(label, dims: spatialSize.count)
        let shape = map.shape
        let flat = map.flatten()
        let foreground = (flat .> 0).nonzero().flatten().toArray(of: Int.self)
        let background = (flat .<= 0).nonzero().flatten().toArray(of: Int.self)
        return drawCentres(
            pools: [foreground, background], weights: [pos, neg], count: numSamples, size: spatialSize, shape: shape,
            generator: generator)
    }

    /// The crops of every tensor in `tensors` (`[C, spatial…]`, aligned with `label`).
    /// - Returns: `numSamples` lists, each with one crop per tensor.
    public func callAsFunction(_ tensors: [Tensor], label: Tensor, generator: Generator) -> [[Tensor]] {
        crops(tensors, centres: centres(label: label, generator: generator), size: spatialSize)
    }

}

/// `count` crop centres: each picks a pool of flat voxel indices with probability proportional to
/// its weight (empty pools never), then a voxel of it uniformly, then moves it for the crop to fit;
/// traps when every pool is empty
/// (MONAI's `generate_pos_neg_label_crop_centers` and `generate_label_classes_crop_centers`).
func drawCentres(
    pools: [[Int]], weights: [Double], count: Int, size: [Int], shape: [Int], generator: Generator
) -> [[Int]] {
    precondition(pools.contains { !$0.isEmpty }, "no voxel of any sampled label: cannot place crops")
    var usable = zip(pools, weights).map { $0.isEmpty ? 0 : $1 }
    // Only zero-weight pools have voxels: MONAI then takes them (e.g. all-foreground with neg only).
    if !usable.contains(where: { $0 > 0 }) { usable = pools.map { $0.isEmpty ? 0 : 1 } }
    let total = usable.reduce(0, +)
    return (0..<count).map { _ in
        let draw = generator.uniform(0...1) * total
        var pool = usable.indices.last { usable[$0] > 0 }!
        var cumulative = 0.0
        for index in usable.indices where usable[index] > 0 {
            cumulative += usable[index]
            if draw < cumulative {
                pool = index
                break
            }
        }
        let flatIndex = pools[pool][generator.integer(0...(pools[pool].count - 1))]
        return correctedCentre(unravel(flatIndex, shape), size: size, shape: shape)
    }
}

/// MONAI's `correct_crop_centers`: each coordinate clamped to `[⌊s/2⌋, ⌊n + 1 − s/2⌋ − 1]` (the
/// upper bound raised by one when the two meet), so a crop of `size` around it fits in `shape`.
func correctedCentre(_ centre: [Int], size: [Int], shape: [Int]) -> [Int] {
    zip(centre, zip(size, shape)).map { coordinate, dims in
        let (s, n) = dims
        let start = s / 2
        var end = Int((Double(n + 1) - Double(s) / 2).rounded(.down))
        if end == start { end += 1 }
        return min(max(coordinate, start), end - 1)
    }
}

/// The crops of `size` around each of `centres`, of every tensor in `tensors` (`[C, spatial…]`).
func crops(_ tensors: [Tensor], centres: [[Int]], size: [Int]) -> [[Tensor]] {
    centres.map { centre in tensors.map { SpatialSize.crop($0, centre: centre, size: size) } }
}

/// `label` without its channel dimension, when it has one.
func spatialLabel(_ label: Tensor, dims: Int) -> Tensor { label.rank == dims + 1 ? label.squeeze(dim: 0) : label }

/// The multi-index of row-major flat index `index` in `shape`.
private func unravel(_ index: Int, _ shape: [Int]) -> [Int] {
    var rest = index
    return shape.reversed().map { size in
        defer { rest /= size }
        return rest % size
    }.reversed()
}
