import Foundation

/// A random rotation, scaling and translation about the image centre, resampled through
/// `Functional.affineGrid` and `Functional.gridSample` (zeros outside; MONAI's `RandAffine`,
/// TorchIO's `RandomAffine`).
///
/// Angles turn in the plane of the last two spatial axes (for volumes, also about the other two
/// planes), in pixel units, so non-square images are not sheared. A turn by −π/2 about a square
/// image's centre equals `rot90` with `k = 1`.
public struct RandomAffine: RandomTransform {
    /// Rotation angles in radians.
    public let rotation: ClosedRange<Double>
    /// Isotropic scale factors (> 1 zooms in).
    public let scale: ClosedRange<Double>
    /// Translations, as fractions of each spatial size.
    public let translation: ClosedRange<Double>
    /// The probability of transforming at all.
    public let probability: Double

    /// Affine maps with parameters drawn uniformly from the ranges.
    public init(
        rotation: ClosedRange<Double> = 0...0, scale: ClosedRange<Double> = 1...1, translation: ClosedRange<Double> = 0...0,
        probability: Double = 1
    ) {
        self.rotation = rotation
        self.scale = scale
        self.translation = translation
        self.probability = probability
    }

    public func callAsFunction(_ tensors: [Tensor], generator: Generator) -> [Tensor] {
        guard let first = tensors.first, generator.happens(probability) else { return tensors }
        let dims = first.rank - 1
        let angles = (0..<(dims == 2 ? 1 : 3)).map { _ in generator.uniform(rotation) }
        let zoom = generator.uniform(scale)
        let shift = first.shape.dropFirst().reversed().map { generator.uniform(translation) * Double($0) }
        let grid = affineSamplingGrid(shape: first.shape, angles: angles, zoom: zoom, shift: shift)
        return tensors.map { resample($0, grid: grid) }
    }
}

/// The sampling grid `[1, spatial…, dims]` of `x ↦ zoom · R(angles) · x + shift` about the centre
/// of a `[C, spatial…]` tensor of `shape`: output pixel `p` reads input pixel `R⁻¹(p − shift) / zoom`.
///
/// - Parameters:
///   - angles: one angle in 2-D; in 3-D, about z, y and x in turn (radians).
///   - shift: in pixels, in grid order (the last dimension first).
func affineSamplingGrid(shape: [Int], angles: [Double], zoom: Double, shift: [Double]) -> Tensor {
    // Spatial sizes in grid order (x = last dimension first), as affineGrid reads them.
    let sizes = Array(shape.dropFirst().reversed()).map(Double.init)
    let dims = sizes.count
    // Grid coordinates are pixel positions divided by half the size.
    let inverse = transpose(rotationMatrix(angles, dims: dims))
    var theta: [Double] = []
    for row in 0..<dims {
        let half = sizes[row] / 2
        for column in 0..<dims { theta.append(inverse[row][column] * (sizes[column] / 2) / half / zoom) }
        theta.append(-(0..<dims).map { inverse[row][$0] * shift[$0] }.reduce(0, +) / half / zoom)
    }
    let matrix = Tensor(theta.map(Float.init), shape: [1, dims, dims + 1])
    return Functional.affineGrid(matrix, size: [1] + shape)
}

/// The rotation by `angles` in the grid's (x, y[, z]) axes: one angle in 2-D; in 3-D, about z, y and x in turn.
private func rotationMatrix(_ angles: [Double], dims: Int) -> [[Double]] {
    func plane(_ angle: Double, _ a: Int, _ b: Int) -> [[Double]] {
        var matrix = (0..<dims).map { row in (0..<dims).map { row == $0 ? 1.0 : 0 } }
        (matrix[a][a], matrix[a][b], matrix[b][a], matrix[b][b]) = (cos(angle), -sin(angle), sin(angle), cos(angle))
        return matrix
    }
    if dims == 2 { return plane(angles[0], 0, 1) }
    return [plane(angles[0], 0, 1), plane(angles[1], 0, 2), plane(angles[2], 1, 2)].reduce(plane(0, 0, 1), multiply)
}

private func multiply(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
    a.indices.map { row in b[0].indices.map { column in b.indices.map { a[row][$0] * b[$0][column] }.reduce(0, +) } }
}

private func transpose(_ a: [[Double]]) -> [[Double]] { a[0].indices.map { column in a.indices.map { a[$0][column] } } }

/// `tensor` `[C, spatial…]` sampled at `grid` `[1, spatial…, dims]`: bilinear for floating-point
/// data, nearest for integer and bool label maps (which keep their dtype).
func resample(_ tensor: Tensor, grid: Tensor) -> Tensor {
    let isLabel = !tensor.dtype.isFloatingPoint && !tensor.dtype.isComplex
    let input = (isLabel ? tensor.to(dtype: .float32) : tensor).unsqueeze(0)
    let sampled = Functional.gridSample(input, grid: grid.to(dtype: input.dtype), mode: isLabel ? .nearest : .bilinear)
        .squeeze(dim: 0)
    return isLabel ? sampled.to(dtype: tensor.dtype) : sampled
}
