/// The options of the soft Dice term that MONAI's `DiceLoss`, `DiceCELoss` and `DiceFocalLoss` share,
/// with MONAI's names and defaults (1.6.1); `Losses.dice` says what each one does.
///
/// ```swift
/// let loss = DiceCELoss(DiceOptions(toOnehotY: true, activation: .softmax), lambdaCE: 0.5)
/// ```
public struct DiceOptions {
    /// Whether channel 0 takes part.
    public var includeBackground: Bool
    /// Whether the target holds class indices `[B, 1, spatial...]`.
    public var toOnehotY: Bool
    /// Applied to the prediction of the Dice term.
    public var activation: LossActivation
    /// Whether the denominator sums squares.
    public var squaredPred: Bool
    /// Whether to compute the Jaccard (IoU) loss instead.
    public var jaccard: Bool
    /// How the per-item, per-class scores combine (`.mean` or `.sum` in the combined losses, for both terms).
    public var reduction: LossReduction
    /// Added to the numerator.
    public var smoothNr: Double
    /// Added to the denominator.
    public var smoothDr: Double
    /// Whether to score each class over the whole batch.
    public var batch: Bool
    /// Per-class weights, or `nil`; the combined losses weight their other term's classes with them too.
    public var weight: [Double]?

    /// Dice options with MONAI's defaults.
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
}
