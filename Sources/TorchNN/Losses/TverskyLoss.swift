extension Losses {
    /// The Tversky loss `1 − (TP + smoothNr) / (TP + α·FP + β·FN + smoothDr)` per item and class, with soft
    /// `TP = Σxy`, `FP = Σx(1−y)`, `FN = Σ(1−x)y` (Salehi et al., MLMI 2017); MONAI's `TverskyLoss` (1.6.1).
    /// `α = β = 0.5` is the Dice loss; a larger `β` penalises missed voxels more (better recall).
    ///
    /// The prediction, target and the options it shares with `Losses.dice` mean what they mean there.
    ///
    /// - Parameters:
    ///   - alpha: the weight of false positives.
    ///   - beta: the weight of false negatives.
    ///   - reduction: of the `[B, C]` scores (`[C]` with `batch`); `.none` returns them in that shape.
    public static func tversky(
        _ input: Tensor, _ target: Tensor, includeBackground: Bool = true, toOnehotY: Bool = false,
        activation: LossActivation = .none, alpha: Double = 0.5, beta: Double = 0.5,
        reduction: LossReduction = .mean, smoothNr: Double = 1e-5, smoothDr: Double = 1e-5, batch: Bool = false
    ) -> Tensor {
        let pair = SegmentationLossInput(
            input: input, target: target, activation: activation, toOnehotY: toOnehotY,
            includeBackground: includeBackground)
        let sums = pair.overlapSums(dims: pair.overlapDims(batch: batch))
        let truePositives = sums.intersection
        let falsePositives = sums.predicted - truePositives
        let falseNegatives = sums.truth - truePositives
        let scores = 1 - (truePositives + smoothNr)
            / (truePositives + alpha * falsePositives + beta * falseNegatives + smoothDr)
        return switch reduction {
        case .mean: scores.mean()
        case .sum: scores.sum()
        case .none: scores
        }
    }
}

/// The Tversky loss as a value; see `Losses.tversky`.
public struct TverskyLoss: Loss {
    /// Whether channel 0 takes part.
    public var includeBackground: Bool
    /// Whether the target holds class indices `[B, 1, spatial...]`.
    public var toOnehotY: Bool
    /// Applied to the prediction first.
    public var activation: LossActivation
    /// The weight of false positives.
    public var alpha: Double
    /// The weight of false negatives.
    public var beta: Double
    /// How the scores combine.
    public var reduction: LossReduction
    /// Added to the numerator.
    public var smoothNr: Double
    /// Added to the denominator.
    public var smoothDr: Double
    /// Whether to score each class over the whole batch.
    public var batch: Bool

    /// A Tversky loss with MONAI's defaults.
    public init(
        includeBackground: Bool = true, toOnehotY: Bool = false, activation: LossActivation = .none,
        alpha: Double = 0.5, beta: Double = 0.5, reduction: LossReduction = .mean, smoothNr: Double = 1e-5,
        smoothDr: Double = 1e-5, batch: Bool = false
    ) {
        self.includeBackground = includeBackground
        self.toOnehotY = toOnehotY
        self.activation = activation
        self.alpha = alpha
        self.beta = beta
        self.reduction = reduction
        self.smoothNr = smoothNr
        self.smoothDr = smoothDr
        self.batch = batch
    }

    /// The loss of `input` `[B, C, spatial...]` against `target` `[B, C or 1, spatial...]`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        Losses.tversky(
            input, target, includeBackground: includeBackground, toOnehotY: toOnehotY, activation: activation,
            alpha: alpha, beta: beta, reduction: reduction, smoothNr: smoothNr, smoothDr: smoothDr, batch: batch)
    }
}
