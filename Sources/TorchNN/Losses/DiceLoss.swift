extension Losses {
    /// The soft Dice loss `1 − (2·Σxy + smoothNr) / (Σx + Σy + smoothDr)` per item and class (Milletari et
    /// al., V-Net, 3DV 2016), or the soft Jaccard loss with `jaccard`; MONAI's `DiceLoss` (1.6.1).
    ///
    /// - Parameters:
    ///   - input: the prediction `[B, C, spatial...]`: probabilities, or logits with an `activation`.
    ///   - target: `[B, C, spatial...]` (one-hot or soft), or class indices `[B, 1, spatial...]` with `toOnehotY`.
    ///   - options: the options, which mean:
    ///     - includeBackground: `false` drops channel 0 from both, so a large background cannot swamp small
    ///       structures (ignored for a single channel).
    ///     - toOnehotY: the target holds class indices, turned into `C` one-hot channels.
    ///     - activation: applied to `input` first.
    ///     - squaredPred: sum squares of prediction and target in the denominator.
    ///     - jaccard: `1 − (2·Σxy + smoothNr) / (2·(Σx + Σy − Σxy) + smoothDr)` (intersection over union).
    ///     - reduction: of the `[B, C]` scores (`[C]` with `batch`); `.none` returns them as `[B, C, 1, ...]`
    ///       (`[C, 1, ...]` with `batch`, as MONAI shapes them).
    ///     - smoothNr: added to the numerator, so an empty prediction of an empty class scores 0.
    ///     - smoothDr: added to the denominator, so it never vanishes.
    ///     - batch: sum over the batch too before dividing: one score per class (`[C]`).
    ///     - weight: per-class weights for the scores (`C` of them, or `C − 1` without the background;
    ///       one value weights every class). Ignored when a single class is compared, as in MONAI.
    public static func dice(_ input: Tensor, _ target: Tensor, _ options: DiceOptions = DiceOptions()) -> Tensor {
        let pair = SegmentationLossInput(
            input: input, target: target, activation: options.activation, toOnehotY: options.toOnehotY,
            includeBackground: options.includeBackground)
        let sums = pair.overlapSums(dims: pair.overlapDims(batch: options.batch), squared: options.squaredPred)
        let total = sums.predicted + sums.truth
        let denominator = options.jaccard ? 2 * (total - sums.intersection) : total
        var scores = 1 - (2 * sums.intersection + options.smoothNr) / (denominator + options.smoothDr)
        if let weight = options.weight, pair.classes != 1 {
            scores = scores * classWeightTensor(weight, classes: pair.classes, like: scores)
        }
        return reduceClassScores(scores, options.reduction, rank: pair.input.rank)
    }
}

/// The soft Dice (or Jaccard) loss as a value; see `Losses.dice`.
public struct DiceLoss: Loss {
    /// The loss's options.
    public var options: DiceOptions

    /// A Dice loss with `options` (MONAI's defaults unless given).
    public init(_ options: DiceOptions = DiceOptions()) {
        self.options = options
    }

    /// The loss of `input` `[B, C, spatial...]` against `target` `[B, C or 1, spatial...]`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        Losses.dice(input, target, options)
    }
}
