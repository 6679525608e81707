/// How the generalised Dice loss weights each class by its target volume `G = Σ target`.
public enum GeneralizedDiceWeight: Sendable {
    /// `1 / G²`, the paper's choice: small structures count as much as large ones.
    case square
    /// `1 / G`.
    case simple
    /// `1`: a volume-weighted Dice.
    case uniform
}

extension Losses {
    /// The generalised Dice loss `1 − (2·Σ_c w_c·Σxy + smoothNr) / (Σ_c w_c·(Σx + Σy) + smoothDr)` (Sudre et
    /// al., DLMIA 2017), MONAI's `GeneralizedDiceLoss` (1.6.1): one score per item over all classes.
    ///
    /// A class absent from the target would get an infinite weight; it takes the largest finite weight of
    /// its item (of the batch, with `batch`) instead, as in MONAI.
    ///
    /// The prediction, target and the options it shares with `Losses.dice` mean what they mean there.
    ///
    /// - Parameters:
    ///   - weightType: the class weights `w_c`.
    ///   - reduction: of the `[B, 1]` scores (`[1]` with `batch`); `.none` returns them as `[B, 1, 1, ...]`
    ///     (`[1, 1, ...]` with `batch`).
    ///   - batch: sum over the batch too: one score for the whole batch.
    public static func generalizedDice(
        _ input: Tensor, _ target: Tensor, includeBackground: Bool = true, toOnehotY: Bool = false,
        activation: LossActivation = .none, weightType: GeneralizedDiceWeight = .square,
        reduction: LossReduction = .mean, smoothNr: Double = 1e-5, smoothDr: Double = 1e-5, batch: Bool = false
    ) -> Tensor {
        let pair = SegmentationLossInput(
            input: input, target: target, activation: activation, toOnehotY: toOnehotY,
            includeBackground: includeBackground)
        let sums = pair.overlapSums(dims: pair.overlapDims(batch: batch))
        let classDim = batch ? 0 : 1
        let weights = finiteClassWeights(volumes: sums.truth, weightType: weightType, classDim: classDim)
        let numerator = 2 * (sums.intersection * weights).sum(dim: classDim, keepdim: true) + smoothNr
        let denominator = ((sums.predicted + sums.truth) * weights).sum(dim: classDim, keepdim: true) + smoothDr
        return reduceClassScores(1 - numerator / denominator, reduction, rank: pair.input.rank)
    }

    /// `weightType`'s weights for the class `volumes`, infinite ones replaced by the largest finite weight
    /// along `classDim`.
    private static func finiteClassWeights(
        volumes: Tensor, weightType: GeneralizedDiceWeight, classDim: Int
    ) -> Tensor {
        let weights = switch weightType {
        case .square: volumes.square().reciprocal()
        case .simple: volumes.reciprocal()
        case .uniform: Tensor.ones(like: volumes)
        }
        let infinite = weights.isfinite().logicalNot()
        let finite = weights.maskedFill(infinite, 0)
        let largest = classDim == 0 ? finite.max() : finite.amax(dim: [classDim], keepdim: true)
        return finite + infinite.to(dtype: finite.dtype) * largest
    }
}

/// The generalised Dice loss as a value; see `Losses.generalizedDice`.
public struct GeneralizedDiceLoss: Loss {
    /// Whether channel 0 takes part.
    public var includeBackground: Bool
    /// Whether the target holds class indices `[B, 1, spatial...]`.
    public var toOnehotY: Bool
    /// Applied to the prediction first.
    public var activation: LossActivation
    /// The class weights.
    public var weightType: GeneralizedDiceWeight
    /// How the scores combine.
    public var reduction: LossReduction
    /// Added to the numerator.
    public var smoothNr: Double
    /// Added to the denominator.
    public var smoothDr: Double
    /// Whether to score the whole batch at once.
    public var batch: Bool

    /// A generalised Dice loss with MONAI's defaults.
    public init(
        includeBackground: Bool = true, toOnehotY: Bool = false, activation: LossActivation = .none,
        weightType: GeneralizedDiceWeight = .square, reduction: LossReduction = .mean, smoothNr: Double = 1e-5,
        smoothDr: Double = 1e-5, batch: Bool = false
    ) {
        self.includeBackground = includeBackground
        self.toOnehotY = toOnehotY
        self.activation = activation
        self.weightType = weightType
        self.reduction = reduction
        self.smoothNr = smoothNr
        self.smoothDr = smoothDr
        self.batch = batch
    }

    /// The loss of `input` `[B, C, spatial...]` against `target` `[B, C or 1, spatial...]`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        Losses.generalizedDice(
            input, target, includeBackground: includeBackground, toOnehotY: toOnehotY, activation: activation,
            weightType: weightType, reduction: reduction, smoothNr: smoothNr, smoothDr: smoothDr, batch: batch)
    }
}
