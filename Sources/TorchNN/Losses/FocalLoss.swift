private extension ATen {
    static let logSigmoid = ATenOperator("aten::log_sigmoid")
}

/// The class balance `α` of the focal loss: one value (`0.25`) or one per class (`[0.2, 0.3, 0.5]`).
public enum FocalAlpha: Sendable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
    /// With sigmoids, `α` for positive and `1 − α` for negative targets; with softmax, `1 − α` for the
    /// background channel and `α` for the others.
    case scalar(Double)
    /// `α_c` for the positive targets of class `c` (sigmoids) or for all of class `c` (softmax).
    case perClass([Double])

    /// A scalar `α`.
    public init(floatLiteral value: Double) { self = .scalar(value) }

    /// A scalar `α`.
    public init(integerLiteral value: Int) { self = .scalar(Double(value)) }

    /// One `α` per class.
    public init(arrayLiteral elements: Double...) { self = .perClass(elements) }
}

extension Losses {
    /// The focal loss `−(1 − p_t)^γ · log p_t` (Lin et al., ICCV 2017), which down-weights voxels the model
    /// already gets right; MONAI's `FocalLoss` (1.6.1).
    ///
    /// - Parameters:
    ///   - input: logits `[B, C, spatial...]`.
    ///   - target: `[B, C, spatial...]`, or class indices `[B, 1, spatial...]` with `toOnehotY`.
    ///   - includeBackground: `false` drops channel 0 of both first (with `useSoftmax`, the softmax then runs
    ///     over the remaining channels, as in MONAI).
    ///   - toOnehotY: the target holds class indices.
    ///   - gamma: the focusing exponent; 0 gives (binary) cross-entropy.
    ///   - alpha: balances classes (see ``FocalAlpha``); with `useSoftmax` and without the background, a
    ///     scalar `α` is ignored, as in MONAI.
    ///   - weight: per-class weights of the element losses (`C` of them, or `C − 1` without the background),
    ///     or one for all.
    ///   - reduction: `.mean` over all elements; `.sum` of the per-item, per-class spatial means (MONAI's
    ///     choice, so the value does not grow with the image); `.none` gives `[B, C, spatial...]`.
    ///   - useSoftmax: exclusive classes (softmax cross-entropy) instead of independent sigmoids.
    public static func focal(
        _ input: Tensor, _ target: Tensor, includeBackground: Bool = true, toOnehotY: Bool = false,
        gamma: Double = 2, alpha: FocalAlpha? = nil, weight: [Double]? = nil, reduction: LossReduction = .mean,
        useSoftmax: Bool = false
    ) -> Tensor {
        let pair = SegmentationLossInput(
            input: input, target: target, activation: .none, toOnehotY: toOnehotY,
            includeBackground: includeBackground)
        var loss = useSoftmax
            ? softmaxFocal(pair.input, pair.target, gamma: gamma, alpha: softmaxAlpha(alpha, includeBackground))
            : sigmoidFocal(pair.input, pair.target, gamma: gamma, alpha: alpha)
        if let weight {
            let weights = classWeightTensor(weight, classes: pair.classes, like: loss)
            loss = loss * weights.reshape([1, weight.count] + Array(repeating: 1, count: loss.rank - 2))
        }
        return switch reduction {
        case .mean: loss.mean()
        case .sum: loss.mean(dim: Array(2..<loss.rank)).sum()
        case .none: loss
        }
    }

    /// Per-class `values` as a `[C, 1, ...]` tensor broadcasting against `other` `[B, C, spatial...]`.
    private static func alphaFactors(_ values: [Double], like other: Tensor) -> Tensor {
        precondition(values.count == other.shape[1], "\(values.count) alphas for \(other.shape[1]) classes")
        return Tensor(values).to(device: other.device, dtype: other.dtype)
            .reshape([values.count] + Array(repeating: 1, count: other.rank - 2))
    }

    /// MONAI drops a scalar `α` with softmax when the background is excluded, as `1 − α` belongs to it.
    private static func softmaxAlpha(_ alpha: FocalAlpha?, _ includeBackground: Bool) -> FocalAlpha? {
        if case .scalar = alpha, !includeBackground { return nil }
        return alpha
    }

    /// Element-wise `−(1 − p)^γ·log p·y` with `p` the softmax over channels.
    private static func softmaxFocal(_ input: Tensor, _ target: Tensor, gamma: Double, alpha: FocalAlpha?) -> Tensor {
        let logProbabilities = Functional.logSoftmax(input, dim: 1)
        let loss = -(1 - logProbabilities.exp()).pow(gamma) * logProbabilities * target
        switch alpha {
        case nil: return loss
        case .scalar(let value)?:
            return loss * alphaFactors([1 - value] + Array(repeating: value, count: target.shape[1] - 1), like: loss)
        case .perClass(let values)?: return loss * alphaFactors(values, like: loss)
        }
    }

    /// Element-wise binary cross-entropy of logits times `(1 − p_t)^γ`, with `p_t` the sigmoid probability of
    /// the target; `(1 − p_t)^γ = exp(γ·logsigmoid(−x·(2y − 1)))` avoids overflow for large logits.
    private static func sigmoidFocal(_ input: Tensor, _ target: Tensor, gamma: Double, alpha: FocalAlpha?) -> Tensor {
        let crossEntropy = input - input * target - ATen.logSigmoid(.tensor(input))
        let logMissProbability = ATen.logSigmoid(.tensor(-input * (2 * target - 1)))
        let loss = (logMissProbability * gamma).exp() * crossEntropy
        switch alpha {
        case nil: return loss
        case .scalar(let value)?: return (target * value + (1 - target) * (1 - value)) * loss
        case .perClass(let values)?:
            let factors = alphaFactors(values, like: loss).expand(as: loss)
            return Tensor.where(target .== 1, factors, Tensor.ones(like: loss)) * loss
        }
    }
}

/// The focal loss as a value; see `Losses.focal`.
public struct FocalLoss: Loss {
    /// Whether channel 0 takes part.
    public var includeBackground: Bool
    /// Whether the target holds class indices `[B, 1, spatial...]`.
    public var toOnehotY: Bool
    /// The focusing exponent.
    public var gamma: Double
    /// The class balance, or `nil`.
    public var alpha: FocalAlpha?
    /// Per-class weights, or `nil`.
    public var weight: [Double]?
    /// How the element losses combine.
    public var reduction: LossReduction
    /// Whether the classes are exclusive (softmax) rather than independent (sigmoid).
    public var useSoftmax: Bool

    /// A focal loss with MONAI's defaults.
    public init(
        includeBackground: Bool = true, toOnehotY: Bool = false, gamma: Double = 2, alpha: FocalAlpha? = nil,
        weight: [Double]? = nil, reduction: LossReduction = .mean, useSoftmax: Bool = false
    ) {
        self.includeBackground = includeBackground
        self.toOnehotY = toOnehotY
        self.gamma = gamma
        self.alpha = alpha
        self.weight = weight
        self.reduction = reduction
        self.useSoftmax = useSoftmax
    }

    /// The loss of logits `input` `[B, C, spatial...]` against `target` `[B, C or 1, spatial...]`.
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        Losses.focal(
            input, target, includeBackground: includeBackground, toOnehotY: toOnehotY, gamma: gamma, alpha: alpha,
            weight: weight, reduction: reduction, useSoftmax: useSoftmax)
    }
}
