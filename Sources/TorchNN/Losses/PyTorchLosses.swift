// The module forms of PyTorch's basic losses; the maths is in `Functional` (Torch/Functional/Loss.swift).

/// `|input − target|`, reduced (`torch.nn.L1Loss`); both tensors of the same shape.
public struct L1Loss: Loss {
    /// How the element losses combine.
    public var reduction: LossReduction

    /// An L1 loss.
    public init(reduction: LossReduction = .mean) { self.reduction = reduction }

    /// The loss of `input` against `target` (same shape).
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        Functional.l1Loss(input, target: target, reduction: reduction)
    }
}

/// `(input − target)²`, reduced (`torch.nn.MSELoss`); both tensors of the same shape.
public struct MSELoss: Loss {
    /// How the element losses combine.
    public var reduction: LossReduction

    /// A mean-squared-error loss.
    public init(reduction: LossReduction = .mean) { self.reduction = reduction }

    /// The loss of `input` against `target` (same shape).
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        Functional.mseLoss(input, target: target, reduction: reduction)
    }
}

/// Quadratic below `beta`, linear above (`torch.nn.SmoothL1Loss`); see `Functional.smoothL1Loss`.
public struct SmoothL1Loss: Loss {
    /// How the element losses combine.
    public var reduction: LossReduction
    /// Where the loss turns from quadratic to linear.
    public var beta: Double

    /// A smooth L1 loss.
    public init(reduction: LossReduction = .mean, beta: Double = 1) {
        self.reduction = reduction
        self.beta = beta
    }

    /// The loss of `input` against `target` (same shape).
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        Functional.smoothL1Loss(input, target: target, reduction: reduction, beta: beta)
    }
}

/// Quadratic below `delta`, linear above with slope `delta` (`torch.nn.HuberLoss`); see `Functional.huberLoss`.
public struct HuberLoss: Loss {
    /// How the element losses combine.
    public var reduction: LossReduction
    /// Where the loss turns from quadratic to linear.
    public var delta: Double

    /// A Huber loss.
    public init(reduction: LossReduction = .mean, delta: Double = 1) {
        self.reduction = reduction
        self.delta = delta
    }

    /// The loss of `input` against `target` (same shape).
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        Functional.huberLoss(input, target: target, reduction: reduction, delta: delta)
    }
}

/// Binary cross-entropy of probabilities (`torch.nn.BCELoss`); see `Functional.binaryCrossEntropy`.
public struct BCELoss: Loss {
    /// Element weights broadcast to the input, or `nil`.
    public var weight: Tensor?
    /// How the element losses combine.
    public var reduction: LossReduction

    /// A binary cross-entropy loss.
    public init(weight: Tensor? = nil, reduction: LossReduction = .mean) {
        self.weight = weight
        self.reduction = reduction
    }

    /// The loss of probabilities `input` against `target` in [0, 1] (same shape).
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        Functional.binaryCrossEntropy(input, target: target, weight: weight, reduction: reduction)
    }
}

/// Binary cross-entropy of logits (`torch.nn.BCEWithLogitsLoss`); see `Functional.binaryCrossEntropyWithLogits`.
public struct BCEWithLogitsLoss: Loss {
    /// Element weights broadcast to the input, or `nil`.
    public var weight: Tensor?
    /// Weights of the positive term, broadcast over the last dimension, or `nil`.
    public var posWeight: Tensor?
    /// How the element losses combine.
    public var reduction: LossReduction

    /// A binary cross-entropy loss on logits.
    public init(weight: Tensor? = nil, posWeight: Tensor? = nil, reduction: LossReduction = .mean) {
        self.weight = weight
        self.posWeight = posWeight
        self.reduction = reduction
    }

    /// The loss of logits `input` against `target` in [0, 1] (same shape).
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        Functional.binaryCrossEntropyWithLogits(
            input, target: target, weight: weight, posWeight: posWeight, reduction: reduction)
    }
}

/// Softmax cross-entropy of logits (`torch.nn.CrossEntropyLoss`); see `Functional.crossEntropy`.
public struct CrossEntropyLoss: Loss {
    /// `[C]` class weights, or `nil`.
    public var weight: Tensor?
    /// A target index that counts for nothing.
    public var ignoreIndex: Int
    /// How the element losses combine.
    public var reduction: LossReduction
    /// How much of the target is mixed with the uniform distribution.
    public var labelSmoothing: Double

    /// A cross-entropy loss.
    public init(
        weight: Tensor? = nil, ignoreIndex: Int = -100, reduction: LossReduction = .mean, labelSmoothing: Double = 0
    ) {
        self.weight = weight
        self.ignoreIndex = ignoreIndex
        self.reduction = reduction
        self.labelSmoothing = labelSmoothing
    }

    /// The loss of logits `input` `[N, C, ...]` against class indices `[N, ...]` (`int64`) or class
    /// probabilities shaped like `input`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        Functional.crossEntropy(
            input, target: target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction,
            labelSmoothing: labelSmoothing)
    }
}

/// Negative log-likelihood of log-probabilities (`torch.nn.NLLLoss`); see `Functional.nllLoss`.
public struct NLLLoss: Loss {
    /// `[C]` class weights, or `nil`.
    public var weight: Tensor?
    /// A target index that counts for nothing.
    public var ignoreIndex: Int
    /// How the element losses combine.
    public var reduction: LossReduction

    /// A negative log-likelihood loss.
    public init(weight: Tensor? = nil, ignoreIndex: Int = -100, reduction: LossReduction = .mean) {
        self.weight = weight
        self.ignoreIndex = ignoreIndex
        self.reduction = reduction
    }

    /// The loss of log-probabilities `input` `[N, C, ...]` against class indices `[N, ...]` (`int64`).
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        Functional.nllLoss(input, target: target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)
    }
}
