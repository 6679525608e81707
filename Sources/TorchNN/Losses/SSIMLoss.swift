extension Losses {
    /// `1 − SSIM(input, target)` as fastMRI's `SSIMLoss` (0.3.0) computes it: local statistics over a
    /// `winSize × winSize` uniform window without padding, unbiased (co)variances (`NP/(NP − 1)` with
    /// `NP = winSize²`), and `C1 = (k1·L)²`, `C2 = (k2·L)²` from each item's data range `L` (Wang et al.,
    /// IEEE TIP 2004).
    ///
    /// - Parameters:
    ///   - input: images `[B, 1, H, W]` (`H, W ≥ winSize`).
    ///   - target: reference images, shaped like `input`.
    ///   - dataRange: `[B]`, the dynamic range of each item (fastMRI passes the volume's maximum).
    ///   - reduced: `true` returns `1 − mean(S)`; `false` the map `1 − S`,
    ///     `[B, 1, H − winSize + 1, W − winSize + 1]`.
    public static func ssim(
        _ input: Tensor, _ target: Tensor, dataRange: Tensor, winSize: Int = 7, k1: Double = 0.01,
        k2: Double = 0.03, reduced: Bool = true
    ) -> Tensor {
        let pixels = Double(winSize * winSize)
        let window = Tensor.full([1, 1, winSize, winSize], 1 / pixels, dtype: input.dtype, device: input.device)
        let localMean = { (image: Tensor) in Functional.conv2d(image, weight: window) }
        let range = dataRange.to(device: input.device, dtype: input.dtype).reshape([-1, 1, 1, 1])
        let c1 = (k1 * range).square()
        let c2 = (k2 * range).square()
        let meanX = localMean(input)
        let meanY = localMean(target)
        let unbiased = pixels / (pixels - 1)
        let varianceX = unbiased * (localMean(input * input) - meanX * meanX)
        let varianceY = unbiased * (localMean(target * target) - meanY * meanY)
        let covariance = unbiased * (localMean(input * target) - meanX * meanY)
        let similarity = (2 * meanX * meanY + c1) * (2 * covariance + c2)
            / ((meanX.square() + meanY.square() + c1) * (varianceX + varianceY + c2))
        return reduced ? 1 - similarity.mean() : 1 - similarity
    }
}

/// fastMRI's SSIM loss as a value; see `Losses.ssim`.
///
/// Called as a ``Loss`` (without a data range), it takes each item's range as the maximum of its
/// target, which is what fastMRI's `max_value` is for non-negative magnitude images.
public struct SSIMLoss: Loss {
    /// The side of the square averaging window.
    public var winSize: Int
    /// Scales the data range into the luminance stabiliser `C1 = (k1·L)²`.
    public var k1: Double
    /// Scales the data range into the contrast stabiliser `C2 = (k2·L)²`.
    public var k2: Double

    /// An SSIM loss with fastMRI's defaults.
    public init(winSize: Int = 7, k1: Double = 0.01, k2: Double = 0.03) {
        self.winSize = winSize
        self.k1 = k1
        self.k2 = k2
    }

    /// `1 − SSIM` of `input` and `target` `[B, 1, H, W]` with the per-item `dataRange` `[B]`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor, dataRange: Tensor, reduced: Bool = true) -> Tensor {
        Losses.ssim(input, target, dataRange: dataRange, winSize: winSize, k1: k1, k2: k2, reduced: reduced)
    }

    /// `1 − mean SSIM` of `input` and `target` `[B, 1, H, W]`, each item's data range its target's maximum.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        self(input, target, dataRange: target.amax(dim: Array(1..<target.rank)))
    }
}
