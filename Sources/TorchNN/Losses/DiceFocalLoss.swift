extension Losses {
    /// `lambdaDice · Dice + lambdaFocal · focal`, MONAI's `DiceFocalLoss` (1.6.1). The focal term takes the
    /// raw logits with independent sigmoids, whatever the Dice term's `activation`, as MONAI 1.6.1 does.
    ///
    /// The prediction, target and `options` mean what they mean for `Losses.dice`; `gamma` and `alpha` are
    /// the focal term's (`Losses.focal`), and `options.weight` weights its classes too.
    ///
    /// - Parameters:
    ///   - options: of the Dice term; its `reduction` (`.mean` or `.sum`), `includeBackground`, `toOnehotY`
    ///     and `weight` serve both terms.
    ///   - lambdaDice: the Dice term's weight (≥ 0).
    ///   - lambdaFocal: the focal term's weight (≥ 0).
    public static func diceFocal(
        _ input: Tensor, _ target: Tensor, _ options: DiceOptions = DiceOptions(), gamma: Double = 2,
        alpha: FocalAlpha? = nil, lambdaDice: Double = 1, lambdaFocal: Double = 1
    ) -> Tensor {
        checkCombinedLossArguments(input, target, reduction: options.reduction, lambdas: [lambdaDice, lambdaFocal])
        let channels = input.shape[1]
        let target = options.toOnehotY && channels > 1
            ? oneHot(target, classes: channels, dtype: input.dtype) : target
        var diceOptions = options
        diceOptions.toOnehotY = false
        let diceTerm = dice(input, target, diceOptions)
        let focalTerm = focal(
            input, target, includeBackground: options.includeBackground, gamma: gamma, alpha: alpha,
            weight: options.weight, reduction: options.reduction)
        return lambdaDice * diceTerm + lambdaFocal * focalTerm
    }
}

/// Dice plus focal loss as a value; see `Losses.diceFocal`.
public struct DiceFocalLoss: Loss {
    /// The options of the Dice term, and the reduction, background and class weights of both terms.
    public var options: DiceOptions
    /// The focusing exponent of the focal term.
    public var gamma: Double
    /// The class balance of the focal term, or `nil`.
    public var alpha: FocalAlpha?
    /// The Dice term's weight.
    public var lambdaDice: Double
    /// The focal term's weight.
    public var lambdaFocal: Double

    /// A Dice + focal loss with MONAI's defaults.
    public init(
        _ options: DiceOptions = DiceOptions(), gamma: Double = 2, alpha: FocalAlpha? = nil, lambdaDice: Double = 1,
        lambdaFocal: Double = 1
    ) {
        self.options = options
        self.gamma = gamma
        self.alpha = alpha
        self.lambdaDice = lambdaDice
        self.lambdaFocal = lambdaFocal
    }

    /// The loss of logits `input` `[B, C, spatial...]` against `target` `[B, C or 1, spatial...]`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        Losses.diceFocal(
            input, target, options, gamma: gamma, alpha: alpha, lambdaDice: lambdaDice, lambdaFocal: lambdaFocal)
    }
}
