/// A loss comparing a prediction with a target, as a value: its options are stored properties and
/// calling it computes the loss (PyTorch's `nn.*Loss` modules, which hold no parameters either).
///
/// Every conforming type forwards to a function of ``Losses`` (or `Functional`), so the maths lives
/// in one place. Losses compose into weighted sums:
/// ```swift
/// let loss = 0.3 * DiceLoss(DiceOptions(activation: .sigmoid)) + 0.7 * BCEWithLogitsLoss()
/// let value = loss(logits, target)
/// ```
public protocol Loss {
    /// The loss of `input` against `target`; shapes are the conforming type's.
    func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor
}

/// The functional forms of the losses that are not in `Functional`: segmentation overlap losses after
/// MONAI, fastMRI's SSIM loss and the VAE regulariser of Myronenko (2018).
public enum Losses {}

/// `Σ wᵢ·lossᵢ(input, target)`: several losses on the same prediction and target.
public struct WeightedSum: Loss {
    /// The weighted terms, summed in order.
    public var terms: [(weight: Double, loss: any Loss)]

    /// A sum of `terms`, e.g. `WeightedSum([(0.3, DiceLoss()), (0.7, BCELoss())])`.
    public init(_ terms: [(weight: Double, loss: any Loss)]) {
        self.terms = terms
    }

    /// `Σ wᵢ·lossᵢ(input, target)`; the terms' results must broadcast together (all reduced, usually).
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        precondition(!terms.isEmpty, "WeightedSum needs at least one term")
        return terms.dropFirst().reduce(terms[0].weight * terms[0].loss(input, target)) { sum, term in
            sum + term.weight * term.loss(input, target)
        }
    }
}

/// `weight · loss` as a one-term ``WeightedSum``.
public func * (weight: Double, loss: some Loss) -> WeightedSum {
    WeightedSum([(weight, loss)])
}

/// The sum of two weighted sums, keeping every term (`0.3 * dice + 0.7 * bce`).
public func + (lhs: WeightedSum, rhs: WeightedSum) -> WeightedSum {
    WeightedSum(lhs.terms + rhs.terms)
}
