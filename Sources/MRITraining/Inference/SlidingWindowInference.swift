import Foundation

/// Sliding-window inference over images or volumes larger than a network's patch, with the
/// semantics of MONAI's `sliding_window_inference`: windows of `roiSize` overlapping by
/// `overlap`, the last window of each dimension moved back inside the image, predictions
/// blended with a constant or Gaussian importance map, and inputs smaller than the window
/// zero-padded symmetrically (and the output cropped back).
public struct SlidingWindowInference: Sendable {
    /// How overlapping window predictions are weighted.
    public enum Blending: Sendable, Equatable {
        /// Every voxel of a window weighs the same.
        case constant
        /// Voxels weigh `exp(-x²/(2σ²))` from the window centre, `σ = sigmaScale · roiSize` per dimension.
        case gaussian(sigmaScale: Double = 0.125)
    }

    /// The window's spatial size (`[H, W]` or `[D, H, W]`).
    public var roiSize: [Int]
    /// The fraction of a window shared with the next one, in `[0, 1)`.
    public var overlap: Double
    /// How overlapping predictions are weighted.
    public var blending: Blending
    /// Windows passed to the predictor at once.
    public var windowBatchSize: Int

    /// A sliding window of `roiSize` (MONAI's defaults: overlap 0.25, constant blending, one window at a time).
    public init(roiSize: [Int], overlap: Double = 0.25, blending: Blending = .constant, windowBatchSize: Int = 1) {
        precondition((0..<1).contains(overlap), "overlap must be in [0, 1), got \(overlap)")
        precondition(roiSize.allSatisfy { $0 > 0 } && windowBatchSize > 0, "window sizes must be positive")
        self.roiSize = roiSize
        self.overlap = overlap
        self.blending = blending
        self.windowBatchSize = windowBatchSize
    }

    /// The prediction `[N, C', spatial...]` for `input` `[N, C, spatial...]`, where `predictor`
    /// maps windows `[B, C, roiSize...]` to `[B, C', roiSize...]`.
    public func callAsFunction(_ input: Tensor, predictor: (Tensor) throws -> Tensor) rethrows -> Tensor {
        let spatialRank = input.rank - 2
        precondition(spatialRank == roiSize.count,
                     "input \(input.shape) needs \(roiSize.count + 2) dimensions for a \(roiSize.count)-D window")
        let originalSize = Array(input.shape.dropFirst(2))
        // F.pad order: last dimension first, (before, after) each.
        var padding: [Int] = []
        for dimension in (0..<spatialRank).reversed() {
            let missing = max(roiSize[dimension] - originalSize[dimension], 0)
            padding += [missing / 2, missing - missing / 2]
        }
        let padded = padding.contains { $0 > 0 } ? input.pad(padding) : input
        let imageSize = zip(originalSize, roiSize).map { max($0, $1) }
        let starts = Self.windowStarts(imageSize: imageSize, roiSize: roiSize, overlap: overlap)
        let weights = Self.importanceMap(roiSize, blending: blending, dtype: input.dtype, device: input.device)
            .view([1, 1] + roiSize)

        let batch = input.shape[0]
        var output: Tensor?
        let count = Tensor.zeros([1, 1] + imageSize, dtype: input.dtype, device: input.device)
        func window(_ start: [Int]) -> [TensorIndex] {
            [.all, .all] + zip(start, roiSize).map { TensorIndex.range($0, $0 + $1) }
        }
        for start in starts { _ = count[window(start)].add_(weights) }
        let windows = (0..<batch).flatMap { item in starts.map { (item, $0) } }
        for first in stride(from: 0, to: windows.count, by: windowBatchSize) {
            let group = windows[first..<min(first + windowBatchSize, windows.count)]
            let patches = Tensor.cat(group.map { item, start in padded[[.range(item, item + 1)] + window(start).dropFirst()] })
            let predictions = try predictor(patches)
            precondition(Array(predictions.shape.dropFirst(2)) == roiSize && predictions.shape[0] == group.count,
                         "the predictor must keep the window's size: \(patches.shape) gave \(predictions.shape)")
            let target = output ?? Tensor.zeros(
                [batch, predictions.shape[1]] + imageSize, dtype: input.dtype, device: input.device)
            output = target
            for (offset, (item, start)) in group.enumerated() {
                _ = target[[.range(item, item + 1)] + window(start).dropFirst()].add_(predictions[offset..<offset + 1] * weights)
            }
        }
        guard let output else { return input }
        let blended = output / count
        let crop: [TensorIndex] = [.all, .all] + (0..<spatialRank).map { dimension in
            let before = padding[2 * (spatialRank - 1 - dimension)]
            return .range(before, before + originalSize[dimension])
        }
        return padding.contains { $0 > 0 } ? blended[crop] : blended
    }

    /// Window start positions per spatial dimension, combined in row-major order (MONAI's
    /// `dense_patch_slices`): a step of `⌊roi·(1 − overlap)⌋` (at least 1; the whole size when the
    /// window spans the dimension), windows until one reaches the end, the last moved back inside.
    static func windowStarts(imageSize: [Int], roiSize: [Int], overlap: Double) -> [[Int]] {
        let perDimension = zip(imageSize, roiSize).map { size, roi -> [Int] in
            let interval = roi == size ? roi : max(Int(Double(roi) * (1 - overlap)), 1)
            let count = (0...).first { $0 * interval + roi >= size }! + 1
            return (0..<count).map { index in index * interval - max(index * interval + roi - size, 0) }
        }
        return perDimension.reduce([[]]) { combinations, starts in
            combinations.flatMap { prefix in starts.map { prefix + [$0] } }
        }
    }

    /// MONAI's `compute_importance_map`: ones, or the outer product of per-dimension Gaussians
    /// over positions centred on the window; clamped below at its smallest value or 1e-3.
    static func importanceMap(_ size: [Int], blending: Blending, dtype: DType, device: Device) -> Tensor {
        switch blending {
        case .constant:
            return Tensor.ones(size, dtype: dtype, device: device)
        case .gaussian(let sigmaScale):
            var map: Tensor?
            for (index, length) in size.enumerated() {
                let sigma = Double(length) * sigmaScale
                let x = Tensor.arange(length, dtype: .float32, device: device) - Double(length - 1) / 2
                let gaussian = (x * x / (-2 * sigma * sigma)).exp()
                map = map.map { $0.unsqueeze(-1) * gaussian.view(Array(repeating: 1, count: index) + [length]) } ?? gaussian
            }
            let result = map!
            let floor = max(Double(result.min().item(Float.self)), 1e-3)
            return result.clamp(min: floor).to(dtype: dtype)
        }
    }
}
