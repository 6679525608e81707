/// Intensity normalisations of images and volumes `[C, spatial…]`, with MONAI's semantics.
public enum Intensity {
    /// Rescales to `[minimum, maximum]` linearly (MONAI's `ScaleIntensity(minv, maxv)`): the
    /// smallest value maps to `minimum`, the largest to `maximum`; a constant image becomes
    /// `image · minimum`, as MONAI's.
    ///
    /// - Parameter channelWise: rescale each channel (first dimension) on its own.
    /// - Returns: float32, the shape of `image`.
    public static func scale(_ image: Tensor, minimum: Double = 0, maximum: Double = 1, channelWise: Bool = false) -> Tensor {
        perChannel(image, channelWise) { x in
            let (low, high) = (x.min().item(Double.self), x.max().item(Double.self))
            guard high > low else { return x * minimum }
            return (x - low) / (high - low) * (maximum - minimum) + minimum
        }
    }

    /// Z-score normalisation, `(x − mean) / std` with the population std (MONAI's
    /// `NormalizeIntensity()`; a zero std divides by 1).
    ///
    /// - Parameters:
    ///   - nonzero: compute the statistics over, and normalise, only the non-zero voxels (the
    ///     background of a skull-stripped brain stays 0).
    ///   - channelWise: normalise each channel (first dimension) on its own.
    /// - Returns: float32, the shape of `image`.
    public static func normalize(_ image: Tensor, nonzero: Bool = false, channelWise: Bool = false) -> Tensor {
        perChannel(image, channelWise) { x in
            let selected = nonzero ? x.maskedSelect(x .!= 0) : x
            guard selected.count > 0 else { return x }
            let mean = selected.mean()
            var std = selected.std(correction: 0).item(Double.self)
            if std == 0 { std = 1 }
            let normalised = (x - mean) / std
            return nonzero ? Tensor.where(x .!= 0, normalised, x) : normalised
        }
    }

    /// Clips to the `lower` and `upper` percentiles (0–100) of the image (MONAI's
    /// `ClipIntensityPercentiles`; percentiles interpolate linearly, as `torch.quantile`).
    /// - Returns: float32, the shape of `image`.
    public static func clipPercentiles(_ image: Tensor, lower: Double, upper: Double, channelWise: Bool = false) -> Tensor {
        perChannel(image, channelWise) { x in
            let (low, high) = percentiles(x, lower, upper)
            return x.clamp(min: low, max: high)
        }
    }

    /// Maps the `lower` and `upper` percentiles (0–100) to `bMin` and `bMax` linearly (MONAI's
    /// `ScaleIntensityRangePercentiles`), clipping to `[bMin, bMax]` when `clip`.
    /// - Returns: float32, the shape of `image`.
    public static func scalePercentiles(
        _ image: Tensor, lower: Double, upper: Double, bMin: Double, bMax: Double, clip: Bool = false,
        channelWise: Bool = false
    ) -> Tensor {
        perChannel(image, channelWise) { x in
            let (low, high) = percentiles(x, lower, upper)
            // MONAI subtracts only when the range is empty.
            let scaled = high > low ? (x - low) / (high - low) * (bMax - bMin) + bMin : x - low + bMin
            return clip ? scaled.clamp(min: bMin, max: bMax) : scaled
        }
    }

    private static func percentiles(_ x: Tensor, _ lower: Double, _ upper: Double) -> (Double, Double) {
        precondition(0 <= lower && lower <= upper && upper <= 100, "percentiles must satisfy 0 ≤ lower ≤ upper ≤ 100")
        let flat = x.flatten()
        return (flat.quantile(lower / 100).item(Double.self), flat.quantile(upper / 100).item(Double.self))
    }

    /// `body` on the float32 image, or on each channel when `channelWise`.
    private static func perChannel(_ image: Tensor, _ channelWise: Bool, _ body: (Tensor) -> Tensor) -> Tensor {
        let x = image.to(dtype: .float32)
        guard channelWise else { return body(x) }
        return Tensor.stack(x.unbind(dim: 0).map(body))
    }
}
