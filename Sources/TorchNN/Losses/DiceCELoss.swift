extension Losses {
    /// `lambdaDice · Dice + lambdaCE · cross-entropy`, MONAI's `DiceCELoss` (1.6.1). The cross-entropy term
    /// takes the raw logits whatever the `activation` of the Dice term: softmax cross-entropy for several
    /// channels (class indices when the target has one channel, class probabilities otherwise), binary
    /// cross-entropy with logits for a single channel.
    ///
    /// The prediction, target and the options of the Dice term mean what they mean for `Losses.dice`.
    ///
    /// - Parameters:
    ///   - reduction: `.mean` or `.sum`, for both terms.
    ///   - weight: `C` per-class weights of the cross-entropy (the positive-class weight of the binary form);
    ///     the Dice term gets them too, without the background's when it is excluded.
    ///   - lambdaDice: the Dice term's weight (≥ 0).
    ///   - lambdaCE: the cross-entropy term's weight (≥ 0).
    ///   - labelSmoothing: of the softmax cross-entropy.
    public static func diceCE(
        _ input: Tensor, _ target: Tensor, includeBackground: Bool = true, toOnehotY: Bool = false,
        activation: LossActivation = .none, squaredPred: Bool = false, jaccard: Bool = false,
        reduction: LossReduction = .mean, smoothNr: Double = 1e-5, smoothDr: Double = 1e-5, batch: Bool = false,
        weight: [Double]? = nil, lambdaDice: Double = 1, lambdaCE: Double = 1, labelSmoothing: Double = 0
    ) -> Tensor {
        checkCombinedLossArguments(input, target, reduction: reduction, lambdas: [lambdaDice, lambdaCE])
        let diceWeight = weight.map { includeBackground ? $0 : Array($0.dropFirst()) }
        let diceTerm = dice(
            input, target, includeBackground: includeBackground, toOnehotY: toOnehotY, activation: activation,
            squaredPred: squaredPred, jaccard: jaccard, reduction: reduction, smoothNr: smoothNr, smoothDr: smoothDr,
            batch: batch, weight: diceWeight)
        let classWeights = weight.map { Tensor($0).to(device: input.device, dtype: input.dtype) }
        let crossEntropy: Tensor
        if input.shape[1] == 1 {
            crossEntropy = Functional.binaryCrossEntropyWithLogits(
                input, target: target.to(dtype: input.dtype), posWeight: classWeights, reduction: reduction)
        } else if target.shape[1] == 1 {
            crossEntropy = Functional.crossEntropy(
                input, target: target.squeeze(dim: 1).to(dtype: .int64), weight: classWeights, reduction: reduction,
                labelSmoothing: labelSmoothing)
        } else {
            crossEntropy = Functional.crossEntropy(
                input, target: target.to(dtype: input.dtype), weight: classWeights, reduction: reduction,
                labelSmoothing: labelSmoothing)
        }
        return lambdaDice * diceTerm + lambdaCE * crossEntropy
    }

    /// The preconditions MONAI's combined losses check: a target of the input's rank with one channel or
    /// as many as the input, a reducing reduction, and non-negative term weights.
    static func checkCombinedLossArguments(
        _ input: Tensor, _ target: Tensor, reduction: LossReduction, lambdas: [Double]
    ) {
        precondition(
            input.rank == target.rank,
            "the target \(target.shape) needs the rank of the prediction \(input.shape); index targets are [B, 1, ...]")
        precondition(target.shape[1] == 1 || target.shape[1] == input.shape[1],
                     "the target \(target.shape) needs 1 or \(input.shape[1]) channels")
        precondition(reduction != .none, "combined losses reduce with .mean or .sum")
        precondition(lambdas.allSatisfy { $0 >= 0 }, "term weights must be non-negative, got \(lambdas)")
    }
}

/// Dice plus cross-entropy as a value; see `Losses.diceCE`.
public struct DiceCELoss: Loss {
    /// Whether channel 0 takes part in the Dice term.
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
    /// Per-class weights, or `nil`.
    public var weight: [Double]?
    /// The Dice term's weight.
    public var lambdaDice: Double
    /// The cross-entropy term's weight.
    public var lambdaCE: Double
    /// Label smoothing of the cross-entropy.
    public var labelSmoothing: Double

    /// A Dice + cross-entropy loss with MONAI's defaults.
    public init(
        includeBackground: Bool = true, toOnehotY: Bool = false, activation: LossActivation = .none,
        squaredPred: Bool = false, jaccard: Bool = false, reduction: LossReduction = .mean, smoothNr: Double = 1e-5,
        smoothDr: Double = 1e-5, batch: Bool = false, weight: [Double]? = nil, lambdaDice: Double = 1,
        lambdaCE: Double = 1, labelSmoothing: Double = 0
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
        self.weight = weight
        self.lambdaDice = lambdaDice
        self.lambdaCE = lambdaCE
        self.labelSmoothing = labelSmoothing
    }

    /// The loss of logits `input` `[B, C, spatial...]` against `target` `[B, C or 1, spatial...]`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        Losses.diceCE(
            input, target, includeBackground: includeBackground, toOnehotY: toOnehotY, activation: activation,
            squaredPred: squaredPred, jaccard: jaccard, reduction: reduction, smoothNr: smoothNr, smoothDr: smoothDr,
            batch: batch, weight: weight, lambdaDice: lambdaDice, lambdaCE: lambdaCE, labelSmoothing: labelSmoothing)
    }
}
