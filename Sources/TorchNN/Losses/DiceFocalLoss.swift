extension Losses {
    /// `lambdaDice · Dice + lambdaFocal · focal`, MONAI's `DiceFocalLoss` (1.6.1). The focal term takes the
    /// raw logits with independent sigmoids, whatever the Dice term's `activation`, as MONAI 1.6.1 does.
    ///
    /// The prediction, target and the options of the Dice term mean what they mean for `Losses.dice`;
    /// `gamma` and `alpha` are the focal term's (`Losses.focal`), and `weight` weights its classes too.
    ///
    /// - Parameters:
    ///   - reduction: `.mean` or `.sum`, for both terms.
    ///   - lambdaDice: the Dice term's weight (≥ 0).
    ///   - lambdaFocal: the focal term's weight (≥ 0).
    public static func diceFocal(
        _ input: Tensor, _ target: Tensor, includeBackground: Bool = true, toOnehotY: Bool = false,
        activation: LossActivation = .none, squaredPred: Bool = false, jaccard: Bool = false,
        reduction: LossReduction = .mean, smoothNr: Double = 1e-5, smoothDr: Double = 1e-5, batch: Bool = false,
        gamma: Double = 2, alpha: FocalAlpha? = nil, weight: [Double]? = nil, lambdaDice: Double = 1,
        lambdaFocal: Double = 1
    ) -> Tensor {
        checkCombinedLossArguments(input, target, reduction: reduction, lambdas: [lambdaDice, lambdaFocal])
        let channels = input.shape[1]
        let target = toOnehotY && channels > 1 ? oneHot(target, classes: channels, dtype: input.dtype) : target
        let diceTerm = dice(
            input, target, includeBackground: includeBackground, activation: activation, squaredPred: squaredPred,
            jaccard: jaccard, reduction: reduction, smoothNr: smoothNr, smoothDr: smoothDr, batch: batch,
            weight: weight)
        let focalTerm = focal(
            input, target, includeBackground: includeBackground, gamma: gamma, alpha: alpha, weight: weight,
            reduction: reduction)
        return lambdaDice * diceTerm + lambdaFocal * focalTerm
    }
}

/// Dice plus focal loss as a value; see `Losses.diceFocal`.
public struct DiceFocalLoss: Loss {
    /// Whether channel 0 takes part.
    public var includeBackground: Bool
    /// Whether the target holds class indices `[B, 1, spatial...]`.
    public var toOnehotY: Bool
    /// Applied to the prediction of the Dice term.
    public var activation: LossActivation
    /// Whether the Dice denominator sums squares.
    public var squaredPred: Bool
    /// Whether the overlap term is the Jaccard loss.
    public var jaccard: Bool
    /// `.mean` or `.sum`.
    public var reduction: LossReduction
    /// Added to the Dice numerator.
    public var smoothNr: Double
    /// Added to the Dice denominator.
    public var smoothDr: Double
    /// Whether Dice scores each class over the whole batch.
    public var batch: Bool
    /// The focusing exponent of the focal term.
    public var gamma: Double
    /// The class balance of the focal term, or `nil`.
    public var alpha: FocalAlpha?
    /// Per-class weights of both terms, or `nil`.
    public var weight: [Double]?
    /// The Dice term's weight.
    public var lambdaDice: Double
    /// The focal term's weight.
    public var lambdaFocal: Double

    /// A Dice + focal loss with MONAI's defaults.
    public init(
        includeBackground: Bool = true, toOnehotY: Bool = false, activation: LossActivation = .none,
        squaredPred: Bool = false, jaccard: Bool = false, reduction: LossReduction = .mean, smoothNr: Double = 1e-5,
        smoothDr: Double = 1e-5, batch: Bool = false, gamma: Double = 2, alpha: FocalAlpha? = nil,
        weight: [Double]? = nil, lambdaDice: Double = 1, lambdaFocal: Double = 1
    ) {
        self.includeBackground = includeBackground
        self.toOnehotY = toOnehotY
        self.activation = activation
        self.squaredPred = squaredPred
        self.jaccard = jaccard
        self.reduction = reduction
        self.smoothNr = smoothNr
        self.smoothDr = smoothDr
        self.batch = batch
        self.gamma = gamma
        self.alpha = alpha
        self.weight = weight
        self.lambdaDice = lambdaDice
        self.lambdaFocal = lambdaFocal
    }

    /// The loss of logits `input` `[B, C, spatial...]` against `target` `[B, C or 1, spatial...]`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        Losses.diceFocal(
            input, target, includeBackground: includeBackground, toOnehotY: toOnehotY, activation: activation,
            squaredPred: squaredPred, jaccard: jaccard, reduction: reduction, smoothNr: smoothNr, smoothDr: smoothDr,
            batch: batch, gamma: gamma, alpha: alpha, weight: weight, lambdaDice: lambdaDice,
            lambdaFocal: lambdaFocal)
    }
}
