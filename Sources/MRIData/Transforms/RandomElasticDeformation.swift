/// A smooth random warp (TorchIO's `RandomElasticDeformation`, with a coarse grid of control
/// points whose random displacements are interpolated to every voxel).
///
/// Each control point moves by an independent normal displacement with standard deviation
/// `maxDisplacement / 3` per axis, clipped to `±maxDisplacement`, given as a fraction of the image
/// size; the displacement field is interpolated (bicubic in 2-D, trilinear in 3-D, through the
/// corner control points) and added to the identity sampling grid.
public struct RandomElasticDeformation: RandomTransform {
    /// Control points along each spatial axis (at least 2).
    public let controlPoints: Int
    /// The largest displacement, as a fraction of each spatial size.
    public let maxDisplacement: Double
    /// The probability of warping at all.
    public let probability: Double

    /// Warps with `controlPoints` per axis moving at most `maxDisplacement` of the size.
    public init(controlPoints: Int = 7, maxDisplacement: Double = 0.05, probability: Double = 1) {
        precondition(controlPoints >= 2, "controlPoints must be at least 2, got \(controlPoints)")
        self.controlPoints = controlPoints
        self.maxDisplacement = maxDisplacement
        self.probability = probability
    }

    public func callAsFunction(_ tensors: [Tensor], generator: Generator) -> [Tensor] {
        guard let first = tensors.first, generator.happens(probability) else { return tensors }
        let spatial = Array(first.shape.dropFirst())
        let dims = spatial.count
        // Grid units span 2 across the image, so a fraction f of the size is 2f.
        let limit = 2 * maxDisplacement
        let coarse = Tensor.randn([1, dims] + Array(repeating: controlPoints, count: dims), generator: generator)
        let field = Functional.interpolate(
            (coarse * (limit / 3)).clamp(min: -limit, max: limit), size: spatial,
            mode: dims == 2 ? .bicubic : .trilinear, alignCorners: true)
        // [1, dims, spatial…] → [1, spatial…, dims], the layout of sampling grids.
        let displacement = field.permute([0] + Array(2..<(dims + 2)) + [1])
        let identity = Functional.affineGrid(
            Tensor.eye(dims, dims + 1).unsqueeze(0), size: [1] + first.shape)
        return tensors.map { resample($0, grid: identity + displacement) }
    }
}
