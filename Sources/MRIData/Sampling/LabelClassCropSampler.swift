/// Class-balanced patch sampling (MONAI's `RandCropByLabelClasses`, TorchIO's `LabelSampler`):
/// each of `numSamples` crops is centred on a voxel of class `k` with probability proportional to
/// `ratios[k]`, classes absent from the label map never, the centre moved for the crop to fit.
public struct LabelClassCropSampler: Sendable {
    /// The crop size per spatial dimension (at most the image's).
    public let spatialSize: [Int]
    /// One weight per class `0..<ratios.count` (class 0 is usually background).
    public let ratios: [Double]
    /// Crops per call.
    public let numSamples: Int

    /// Crops of `spatialSize` with class weights `ratios`.
    public init(spatialSize: [Int], ratios: [Double], numSamples: Int = 1) {
        precondition(ratios.allSatisfy { $0 >= 0 } && ratios.contains { $0 > 0 }, "ratios must be non-negative, not all 0")
        self.spatialSize = spatialSize
        self.ratios = ratios
        self.numSamples = numSamples
    }

    /// The crop centres for the class map `label` `[1, spatial…]` (or `[spatial…]`), drawn from `generator`.
    public func centres(label: Tensor, generator: Generator) -> [[Int]] {
        let map = spatialLabel(label, dims: spatialSize.count)
        let flat = map.flatten()
        let pools = ratios.indices.map { (flat .== $0).nonzero().flatten().toArray(of: Int.self) }
        return drawCentres(
            pools: pools, weights: ratios, count: numSamples, size: spatialSize, shape: map.shape, generator: generator)
    }

    /// The crops of every tensor in `tensors` (`[C, spatial…]`, aligned with `label`).
    /// - Returns: `numSamples` lists, each with one crop per tensor.
    public func callAsFunction(_ tensors: [Tensor], label: Tensor, generator: Generator) -> [[Tensor]] {
        crops(tensors, centres: centres(label: label, generator: generator), size: spatialSize)
    }
}
