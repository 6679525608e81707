extension Losses {
    /// The soft Dice loss `1 − (2·Σxy + smoothNr) / (Σx + Σy + smoothDr)` per item and class (Milletari et
    /// al., V-Net, 3DV 2016), or the soft Jaccard loss with `jaccard`; MONAI's `DiceLoss` (1.6.1).
    ///
    /// - Parameters:
    ///   - input: the prediction `[B, C, spatial...]`: probabilities, or logits with an `activation`.
    ///   - target: `[B, C, spatial...]` (one-hot or soft), or class indices `[B, 1, spatial...]` with `toOnehotY`.
    ///   - includeBackground: `false` drops channel 0 from both, so a large background cannot swamp small
    ///     structures (ignored for a single channel).
    ///   - toOnehotY: the target holds class indices, turned into `C` one-hot channels.
    ///   - activation: applied to `input` first.
    ///   - squaredPred: sum squares of prediction and target in the denominator.
    ///   - jaccard: `1 − (2·Σxy + smoothNr) / (2·(Σx + Σy − Σxy) + smoothDr)` (intersection over union).
    ///   - reduction: of the `[B, C]` scores (`[C]` with `batch`); `.none` returns them as `[B, C, 1, ...]`
    ///     (`[C, 1, ...]` with `batch`, as MONAI shapes them).
    ///   - smoothNr: added to the numerator, so an empty prediction of an empty class scores 0.
    ///   - smoothDr: added to the denominator, so it never vanishes.
    ///   - batch: sum over the batch too before dividing: one score per class (`[C]`).
    ///   - weight: per-class weights for the scores (`C` of them, or `C − 1` without the background;
    ///     one value weights every class). Ignored when a single class is compared, as in MONAI.
    public static func dice(
        _ input: Tensor, _ target: Tensor, includeBackground: Bool = true, toOnehotY: Bool = false,
        activation: LossActivation = .none, squaredPred: Bool = false, jaccard: Bool = false,
        reduction: LossReduction = .mean, smoothNr: Double = 1e-5, smoothDr: Double = 1e-5, batch: Bool = false,
        weight: [Double]? = nil
    ) -> Tensor {
        let pair = SegmentationLossInput(
            input: input, target: target, activation: activation, toOnehotY: toOnehotY,
            includeBackground: includeBackground)
        let sums = pair.overlapSums(dims: pair.overlapDims(batch: batch), squared: squaredPred)
        let total = sums.predicted + sums.truth
        let denominator = jaccard ? 2 * (total - sums.intersection) : total
        var scores = 1 - (2 * sums.intersection + smoothNr) / (denominator + smoothDr)
        if let weight, pair.classes != 1 {
            scores = scores * classWeightTensor(weight, classes: pair.classes, like: scores)
        }
        return reduceClassScores(scores, reduction, rank: pair.input.rank)
    }
}

/// The soft Dice (or Jaccard) loss as a value; see `Losses.dice` for the options, which keep MONAI's names.
public struct DiceLoss: Loss {
    /// Whether channel 0 takes part.
    public var includeBackground: Bool
    /// Whether the target holds class indices `[B, 1, spatial...]`.
    public var toOnehotY: Bool
    /// Applied to the prediction first.
    public var activation: LossActivation
    /// Whether the denominator sums squares.
    public var squaredPred: Bool
    /// Whether to compute the Jaccard (IoU) loss instead.
    public var jaccard: Bool
    /// How the per-item, per-class scores combine.
    public var reduction: LossReduction
    /// Added to the numerator.
    public var smoothNr: Double
    /// Added to the denominator.
    public var smoothDr: Double
    /// Whether to score each class over the whole batch.
    public var batch: Bool
    /// Per-class weights, or `nil`.
    public var weight: [Double]?

    /// A Dice loss with MONAI's defaults.
    public init(
        includeBackground: Bool = true, toOnehotY: Bool = false, activation: LossActivation = .none,
        squaredPred: Bool = false, jaccard: Bool = false, reduction: LossReduction = .mean, smoothNr: Double = 1e-5,
        smoothDr: Double = 1e-5, batch: Bool = false, weight: [Double]? = nil
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
    }

    /// The loss of `input` `[B, C, spatial...]` against `target` `[B, C or 1, spatial...]`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        Losses.dice(
            input, target, includeBackground: includeBackground, toOnehotY: toOnehotY, activation: activation,
            squaredPred: squaredPred, jaccard: jaccard, reduction: reduction, smoothNr: smoothNr, smoothDr: smoothDr,
            batch: batch, weight: weight)
    }
}
