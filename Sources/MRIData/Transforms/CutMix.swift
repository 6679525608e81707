import Foundation

extension ATen {
    static let standardGamma = ATenOperator("aten::_standard_gamma")
}

/// CutMix (Yun et al., ICCV 2019) on a batch: a box of each image is replaced by the same box of
/// another image of the batch, and the label maps follow, so segmentation targets stay exact.
///
/// The mixing ratio λ ~ Beta(α, α) sets the box's area fraction `1 − λ`; the box is centred at a
/// uniform random pixel and clipped to the image, and λ is recomputed from the clipped box.
public struct CutMix: Sendable {
    /// The Beta distribution's parameter α.
    public let alpha: Double
    /// The probability of mixing a batch at all.
    public let probability: Double

    /// CutMix with λ ~ Beta(`alpha`, `alpha`).
    public init(alpha: Double = 1, probability: Double = 1) {
        self.alpha = alpha
        self.probability = probability
    }

    /// What one CutMix draw did.
    public struct Result {
        /// The mixed images `[N, C, H, W]`.
        public var images: Tensor
        /// The mixed label maps, when given.
        public var labels: Tensor?
        /// Sample `i`'s box came from sample `partner[i]`.
        public var partner: [Int]
        /// The fraction of each image that is still its own (for mixing class targets: `λ·yᵢ + (1 − λ)·y_partner`).
        public var lambda: Double
    }

    /// Mixes `images` `[N, C, H, W]` and, alike, `labels` `[N, …, H, W]`.
    public func callAsFunction(images: Tensor, labels: Tensor? = nil, generator: Generator) -> Result {
        let count = images.shape[0]
        let identity = Result(images: images, labels: labels, partner: Array(0..<count), lambda: 1)
        guard generator.happens(probability) else { return identity }
        let shape = Tensor.full([2], alpha, dtype: .float64)
        let gammas = ATen.standardGamma(.tensor(shape), .generator(generator)).toArray(of: Double.self)
        let lambda = gammas[0] / (gammas[0] + gammas[1])
        let (height, width) = (images.shape[images.rank - 2], images.shape[images.rank - 1])
        let ratio = (1 - lambda).squareRoot()
        let (boxHeight, boxWidth) = (Int(Double(height) * ratio), Int(Double(width) * ratio))
        let (centreY, centreX) = (generator.integer(0...(height - 1)), generator.integer(0...(width - 1)))
        let rows = max(centreY - boxHeight / 2, 0)..<min(centreY + boxHeight / 2, height)
        let columns = max(centreX - boxWidth / 2, 0)..<min(centreX + boxWidth / 2, width)
        guard !rows.isEmpty, !columns.isEmpty else { return identity }
        let partner = Tensor.randperm(count, generator: generator)
        func paste(_ data: Tensor) -> Tensor {
            let mixed = data.clone()
            let box: [TensorIndex] = [.ellipsis, .range(rows.lowerBound, rows.upperBound), .range(columns.lowerBound, columns.upperBound)]
            mixed[box] = data.indexSelect(dim: 0, index: partner)[box]
            return mixed
        }
        return Result(
            images: paste(images), labels: labels.map(paste), partner: partner.toArray(of: Int.self),
            lambda: 1 - Double(rows.count * columns.count) / Double(height * width))
    }
}
