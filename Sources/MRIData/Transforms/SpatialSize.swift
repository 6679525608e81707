/// Sizing of `[C, spatial…]` images and volumes: padding, cropping and resizing, with MONAI's semantics.
public enum SpatialSize {
    /// Pads symmetrically (MONAI's `SpatialPad`: `⌊d/2⌋` before, the rest after), then crops around
    /// the centre (MONAI's `CenterSpatialCrop`: from `⌊n/2⌋ − ⌊m/2⌋`) to `size` — MONAI's
    /// `ResizeWithPadOrCrop`, with zero padding.
    ///
    /// - Parameter size: one size per spatial dimension.
    /// - Returns: `[C] + size`.
    public static func padOrCrop(_ image: Tensor, to size: [Int]) -> Tensor {
        let spatial = Array(image.shape.dropFirst())
        precondition(size.count == spatial.count, "padOrCrop: \(size) does not match \(image.shape)")
        // Pad takes (before, after) pairs from the last dimension backwards.
        let padding = zip(spatial, size).reversed().flatMap { have, want -> [Int] in
            let extra = max(want - have, 0)
            return [extra / 2, extra - extra / 2]
        }
        let padded = padding.contains { $0 > 0 } ? image.pad(padding) : image
        var result = padded
        for (axis, want) in size.enumerated() {
            let have = padded.shape[axis + 1]
            result = result.narrow(dim: axis + 1, start: have / 2 - want / 2, length: want)
        }
        return result
    }

    /// The crop of `size` whose centre is voxel `centre` (MONAI's `SpatialCrop(roi_center, roi_size)`;
    /// the crop must lie inside the image, as the centres of `RandCropByPosNegLabel` do).
    public static func crop(_ image: Tensor, centre: [Int], size: [Int]) -> Tensor {
        zip(centre, size).enumerated().reduce(image) { result, item in
            let (axis, (middle, length)) = item
            return result.narrow(dim: axis + 1, start: middle - length / 2, length: length)
        }
    }

    /// Resamples to `size` (`Functional.interpolate`): (bi/tri)linear without corner alignment for
    /// floating-point data, nearest for integer and bool label maps (which keep their dtype).
    public static func resize(_ image: Tensor, to size: [Int]) -> Tensor {
        let isLabel = !image.dtype.isFloatingPoint
        let input = (isLabel ? image.to(dtype: .float32) : image).unsqueeze(0)
        let mode: InterpolationMode = isLabel ? .nearest : (size.count == 2 ? .bilinear : .trilinear)
        let resized = Functional.interpolate(input, size: size, mode: mode, alignCorners: isLabel ? nil : false)
            .squeeze(dim: 0)
        return isLabel ? resized.to(dtype: image.dtype) : resized
    }
}

/// A crop of `size` at a uniformly random position inside the image (MONAI's `RandSpatialCrop`
/// with a fixed size).
public struct RandomSpatialCrop: RandomTransform {
    /// The crop's size per spatial dimension (at most the image's).
    public let size: [Int]

    /// Random crops of `size`.
    public init(size: [Int]) { self.size = size }

    public func callAsFunction(_ tensors: [Tensor], generator: Generator) -> [Tensor] {
        guard let first = tensors.first else { return tensors }
        let starts = zip(first.shape.dropFirst(), size).map { generator.integer(0...($0 - $1)) }
        return tensors.map { tensor in
            zip(starts, size).enumerated().reduce(tensor) { $0.narrow(dim: $1.offset + 1, start: $1.element.0, length: $1.element.1) }
        }
    }
}
