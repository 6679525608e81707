extension Losses {
    /// `lambdaDice · Dice + lambdaCE · cross-entropy`, MONAI's `DiceCELoss` (1.6.1). The cross-entropy term
    /// takes the raw logits whatever the `activation` of the Dice term: softmax cross-entropy for several
    /// channels (class indices when the target has one channel, class probabilities otherwise), binary
    /// cross-entropy with logits for a single channel.
    ///
    /// The prediction, target and `options` mean what they mean for `Losses.dice`, except:
    /// - `options.reduction`: `.mean` or `.sum`, for both terms.
    /// - `options.weight`: `C` per-class weights of the cross-entropy (the positive-class weight of the binary
    ///   form); the Dice term gets them too, without the background's when it is excluded.
    ///
    /// - Parameters:
    ///   - lambdaDice: the Dice term's weight (≥ 0).
    ///   - lambdaCE: the cross-entropy term's weight (≥ 0).
    ///   - labelSmoothing: of the softmax cross-entropy.
    public static func diceCE(
        _ input: Tensor, _ target: Tensor, _ options: DiceOptions = DiceOptions(), lambdaDice: Double = 1,
        lambdaCE: Double = 1, labelSmoothing: Double = 0
    ) -> Tensor {
        let reduction = options.reduction
        checkCombinedLossArguments(input, target, reduction: reduction, lambdas: [lambdaDice, lambdaCE])
        var diceOptions = options
        diceOptions.weight = options.weight.map { options.includeBackground ? $0 : Array($0.dropFirst()) }
        let diceTerm = dice(input, target, diceOptions)
        let classWeights = options.weight.map { Tensor($0).to(device: input.device, dtype: input.dtype) }
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
    /// The options of the Dice term, and the reduction and class weights of both terms.
    public var options: DiceOptions
    /// The Dice term's weight.
    public var lambdaDice: Double
    /// The cross-entropy term's weight.
    public var lambdaCE: Double
    /// Label smoothing of the cross-entropy.
    public var labelSmoothing: Double

    /// A Dice + cross-entropy loss with MONAI's defaults.
    public init(
        _ options: DiceOptions = DiceOptions(), lambdaDice: Double = 1, lambdaCE: Double = 1,
        labelSmoothing: Double = 0
    ) {
        self.options = options
        self.lambdaDice = lambdaDice
        self.lambdaCE = lambdaCE
        self.labelSmoothing = labelSmoothing
    }

    /// The loss of logits `input` `[B, C, spatial...]` against `target` `[B, C or 1, spatial...]`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        Losses.diceCE(input, target, options, lambdaDice: lambdaDice, lambdaCE: lambdaCE, labelSmoothing: labelSmoothing)
    }
}
