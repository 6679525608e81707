/// Boundary-distance metrics with MONAI 1.6's semantics (`HausdorffDistanceMetric`,
/// `SurfaceDistanceMetric`), computed on the CPU from an exact Euclidean distance transform.
///
/// A mask's surface is MONAI's edge set: its foreground voxels that a binary erosion with the
/// face-connected cross (zero outside the image) removes. Distances are Euclidean in physical units,
/// `spacing` giving each spatial axis's voxel size. Rules for empty masks, per sample and class:
/// - both prediction and ground truth empty: NaN (left out of means);
/// - exactly one of them empty: every distance is +∞, so the average surface distance and the
///   Hausdorff maximum are +∞; a Hausdorff percentile below 100 is NaN, because MONAI's
///   `torch.quantile` interpolates between infinities.
extension SegmentationMetrics {
    /// The (percentile) Hausdorff distance per sample and class (MONAI `compute_hausdorff_distance`).
    ///
    /// For each direction (prediction → ground truth, and back unless `directed`) the distances from
    /// each surface voxel to the nearest surface voxel of the other mask are summarised by their
    /// maximum, or by their `percentile` (linear interpolation, as `torch.quantile`); the result is the
    /// larger of the two. HD95 is `percentile: 95`.
    ///
    /// - Parameters:
    ///   - prediction: binarised one-hot prediction `[batch, classes, spatial...]` (2D or 3D spatial).
    ///   - target: one-hot ground truth, the shape of `prediction`.
    ///   - includeBackground: keep channel 0 (MONAI's default here is `false`).
    ///   - percentile: in 0...100, or `nil` for the maximum.
    ///   - spacing: voxel size per spatial axis; `nil` means 1.
    public static func hausdorffDistance(
        prediction: Tensor, target: Tensor, includeBackground: Bool = false, percentile: Double? = nil,
        directed: Bool = false, spacing: [Double]? = nil, reduction: MetricReduction = .mean
    ) throws -> Tensor {
        if let percentile, !(0...100).contains(percentile) {
            throw MRIError("percentile", "hausdorffDistance: percentile \(percentile) is not in 0...100")
        }
        return try perClassSurfaces(
            prediction, target, includeBackground: includeBackground, symmetric: !directed, spacing: spacing,
            reduction: reduction, function: "hausdorffDistance"
        ) { directions in
            let summaries = directions.map { summary(of: $0, percentile: percentile) }
            // torch.max over the stacked directions propagates NaN.
            return summaries.contains { $0.isNaN } ? .nan : summaries.max() ?? .nan
        }
    }

    /// The average surface distance per sample and class (MONAI `compute_average_surface_distance`):
    /// the mean distance from each predicted surface voxel to the ground-truth surface, or with
    /// `symmetric` the mean over the distances of both directions pooled together.
    ///
    /// - Parameters:
    ///   - prediction: binarised one-hot prediction `[batch, classes, spatial...]` (2D or 3D spatial).
    ///   - target: one-hot ground truth, the shape of `prediction`.
    ///   - includeBackground: keep channel 0 (MONAI's default here is `false`).
    ///   - spacing: voxel size per spatial axis; `nil` means 1.
    public static func averageSurfaceDistance(
        prediction: Tensor, target: Tensor, includeBackground: Bool = false, symmetric: Bool = false,
        spacing: [Double]? = nil, reduction: MetricReduction = .mean
    ) throws -> Tensor {
        try perClassSurfaces(
            prediction, target, includeBackground: includeBackground, symmetric: symmetric, spacing: spacing,
            reduction: reduction, function: "averageSurfaceDistance"
        ) { directions in
            let pooled = directions.joined()
            return pooled.isEmpty ? .nan : pooled.reduce(0, +) / Double(pooled.count)
        }
    }

    // MARK: Implementation

    /// Applies `summarise` to the surface distances of every sample and class: `[batch, classes]`.
    private static func perClassSurfaces(
        _ prediction: Tensor, _ target: Tensor, includeBackground: Bool, symmetric: Bool, spacing: [Double]?,
        reduction: MetricReduction, function: String, summarise: ([[Double]]) -> Double
    ) throws -> Tensor {
        let masks = try binarised(prediction, target, includeBackground: includeBackground, function: function)
        let shape = Array(prediction.shape.dropFirst(2))
        guard (1...3).contains(shape.count) else {
            throw MRIError("prediction", "\(function): expected 1 to 3 spatial dims, got shape \(prediction.shape)")
        }
        let spacing = spacing ?? Array(repeating: 1, count: shape.count)
        guard spacing.count == shape.count, spacing.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw MRIError("spacing", "\(function): spacing \(spacing) must give \(shape.count) positive sizes")
        }
        let (batch, classes, voxels) = (masks.prediction.size(0), masks.prediction.size(1), masks.prediction.size(2))
        let predicted = masks.prediction.to(device: .cpu).contiguous().toArray(of: Double.self)
        let truth = masks.target.to(device: .cpu).contiguous().toArray(of: Double.self)
        let grid = VoxelGrid(shape: shape, spacing: spacing)
        var values: [Double] = []
        for offset in stride(from: 0, to: batch * classes * voxels, by: voxels) {
            let predictedEdges = grid.edges(of: predicted[offset..<(offset + voxels)].map { $0 != 0 })
            let truthEdges = grid.edges(of: truth[offset..<(offset + voxels)].map { $0 != 0 })
            var directions = [grid.distances(from: predictedEdges, to: truthEdges)]
            if symmetric { directions.append(grid.distances(from: truthEdges, to: predictedEdges)) }
            values.append(summarise(directions))
        }
        let table = Tensor(values, shape: [batch, classes]).to(device: prediction.device)
        return reduction.reduce(table)
    }

    /// The maximum, or the `percentile` as `torch.quantile` interpolates it; NaN for no distances.
    static func summary(of distances: [Double], percentile: Double?) -> Double {
        guard !distances.isEmpty else { return .nan }
        guard let percentile, percentile > 0 else {
            // MONAI treats percentile 0 like nil (`if not percentile`).
            return distances.max() ?? .nan
        }
        let sorted = distances.sorted()
        let rank = percentile / 100 * Double(sorted.count - 1)
        let below = sorted[Int(rank.rounded(.down))]
        let above = sorted[Int(rank.rounded(.up))]
        let weight = rank - rank.rounded(.down)
        // torch's lerp: the same two-sided formula, so that ∞ endpoints give the same NaN.
        return weight < 0.5 ? below + weight * (above - below) : above - (above - below) * (1 - weight)
    }
}

/// A row-major voxel grid with physical spacing: surface extraction and exact distance transforms.
struct VoxelGrid {
    let shape: [Int]
    let spacing: [Double]
    let strides: [Int]
    let count: Int

    init(shape: [Int], spacing: [Double]) {
        self.shape = shape
        self.spacing = spacing
        var strides = Array(repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) {
            strides[axis] = strides[axis + 1] * shape[axis + 1]
        }
        self.strides = strides
        count = shape.reduce(1, *)
    }

    /// Foreground voxels with a face neighbour in the background or outside the grid (MONAI's
    /// `binary_erosion(mask) ^ mask` with scipy's default cross and zero border).
    func edges(of mask: [Bool]) -> [Bool] {
        var edges = Array(repeating: false, count: count)
        for index in 0..<count where mask[index] {
            for axis in 0..<shape.count {
                let coordinate = (index / strides[axis]) % shape[axis]
                let lowerOutside = coordinate == 0 || !mask[index - strides[axis]]
                let upperOutside = coordinate == shape[axis] - 1 || !mask[index + strides[axis]]
                if lowerOutside || upperOutside {
                    edges[index] = true
                    break
                }
            }
        }
        return edges
    }

    /// The distance from each `from` voxel to the nearest `to` voxel, with MONAI's empty-set rule:
    /// +∞ for each `from` voxel when `to` is empty, and +∞ for each `to` voxel when `from` is empty.
    func distances(from source: [Bool], to destination: [Bool]) -> [Double] {
        let sourceCount = source.lazy.filter { $0 }.count
        let destinationCount = destination.lazy.filter { $0 }.count
        if destinationCount == 0 { return Array(repeating: .infinity, count: sourceCount) }
        if sourceCount == 0 { return Array(repeating: .infinity, count: destinationCount) }
        let squared = squaredDistanceTransform(of: destination)
        return (0..<count).filter { source[$0] }.map { squared[$0].squareRoot() }
    }

    /// The exact squared Euclidean distance from every voxel to the nearest `features` voxel
    /// (Felzenszwalb & Huttenlocher 2012: a 1D lower envelope of parabolas along each axis in turn).
    func squaredDistanceTransform(of features: [Bool]) -> [Double] {
        var field = features.map { $0 ? 0 : Double.infinity }
        for axis in 0..<shape.count {
            let (length, step, size) = (shape[axis], strides[axis], spacing[axis])
            var envelope = LowerEnvelope(capacity: length)
            var line = Array(repeating: 0.0, count: length)
            for start in 0..<count where (start / step) % length == 0 {
                for position in 0..<length { line[position] = field[start + position * step] }
                envelope.transform(&line, spacing: size)
                for position in 0..<length { field[start + position * step] = line[position] }
            }
        }
        return field
    }
}

/// Scratch space for the 1D distance transform of one line.
private struct LowerEnvelope {
    /// Sample indices of the parabolas in the envelope, and the boundaries between them.
    private var vertices: [Int]
    private var boundaries: [Double]
    private var source: [Double]

    init(capacity: Int) {
        vertices = Array(repeating: 0, count: capacity)
        boundaries = Array(repeating: 0, count: capacity + 1)
        source = Array(repeating: 0, count: capacity)
    }

    /// Replaces `line[p]` by `min_q line[q] + (spacing · (p − q))²`; infinite samples add no parabola.
    mutating func transform(_ line: inout [Double], spacing: Double) {
        let length = line.count
        for position in 0..<length { source[position] = line[position] }
        var last = -1
        for sample in 0..<length where source[sample].isFinite {
            let height = source[sample] + square(Double(sample) * spacing)
            var crossing = -Double.infinity
            while last >= 0 {
                let vertex = vertices[last]
                crossing = (height - source[vertex] - square(Double(vertex) * spacing))
                    / (2 * spacing * Double(sample - vertex))
                if crossing > boundaries[last] { break }
                last -= 1
            }
            last += 1
            vertices[last] = sample
            boundaries[last] = last == 0 ? -.infinity : crossing
            boundaries[last + 1] = .infinity
        }
        guard last >= 0 else { return }
        var segment = 0
        for position in 0..<length {
            let x = Double(position) * spacing
            while boundaries[segment + 1] < x { segment += 1 }
            line[position] = square(x - Double(vertices[segment]) * spacing) + source[vertices[segment]]
        }
    }

    private func square(_ value: Double) -> Double { value * value }
}
