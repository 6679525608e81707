private extension ATen {
    static let binaryCrossEntropy = ATenOperator("aten::binary_cross_entropy")
    static let binaryCrossEntropyWithLogits = ATenOperator("aten::binary_cross_entropy_with_logits")
    static let crossEntropy = ATenOperator("aten::cross_entropy_loss")
    static let nllLoss = ATenOperator("aten::nll_loss_nd")
    static let l1Loss = ATenOperator("aten::l1_loss")
    static let mseLoss = ATenOperator("aten::mse_loss")
    static let smoothL1Loss = ATenOperator("aten::smooth_l1_loss")
    static let huberLoss = ATenOperator("aten::huber_loss")
}

/// How a loss combines its per-element values. Raw values are ATen's `at::Reduction` codes.
public enum LossReduction: Int, Sendable {
    /// The per-element losses, shaped like the input (per sample for class losses).
    case none = 0
    /// Their mean (weighted mean for class-weighted losses).
    case mean = 1
    /// Their sum.
    case sum = 2
}

extension Functional {
    /// `-w·(y·log x + (1-y)·log(1-x))` for probabilities `input` and `target` of the same shape; logs are
    /// clamped at -100 as PyTorch's. `weight` broadcasts to the input.
    public static func binaryCrossEntropy(
        _ input: Tensor, target: Tensor, weight: Tensor? = nil, reduction: LossReduction = .mean
    ) -> Tensor {
        ATen.binaryCrossEntropy(.tensor(input), .tensor(target), .optionalTensor(weight), .int(reduction.rawValue))
    }

    /// `binaryCrossEntropy(sigmoid(input), target)` computed stably from logits. `posWeight` multiplies
    /// the positive term, broadcast over the last (class) dimension, to trade recall against precision.
    public static func binaryCrossEntropyWithLogits(
        _ input: Tensor, target: Tensor, weight: Tensor? = nil, posWeight: Tensor? = nil,
        reduction: LossReduction = .mean
    ) -> Tensor {
        ATen.binaryCrossEntropyWithLogits(
            .tensor(input), .tensor(target), .optionalTensor(weight), .optionalTensor(posWeight),
            .int(reduction.rawValue))
    }

    /// Cross-entropy of logits `input` `[N, C, ...]` (or `[C]`) against `target`: class indices
    /// `[N, ...]` (`int64`), or class probabilities shaped like `input`.
    ///
    /// - Parameters:
    ///   - weight: `[C]` per-class weights; with indices, `.mean` divides by the summed target weights.
    ///   - ignoreIndex: a target index that contributes neither loss nor count (indices only).
    ///   - labelSmoothing: mixes the target with the uniform distribution by this amount.
    public static func crossEntropy(
        _ input: Tensor, target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
        reduction: LossReduction = .mean, labelSmoothing: Double = 0
    ) -> Tensor {
        ATen.crossEntropy(
            .tensor(input), .tensor(target), .optionalTensor(weight), .int(reduction.rawValue), .int(ignoreIndex),
            .double(labelSmoothing))
    }

    /// Negative log-likelihood of log-probabilities `input` `[N, C, ...]` at the class indices
    /// `target` `[N, ...]` (`int64`); `weight` `[C]` and `ignoreIndex` as in `crossEntropy`.
    public static func nllLoss(
        _ input: Tensor, target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
        reduction: LossReduction = .mean
    ) -> Tensor {
        ATen.nllLoss(.tensor(input), .tensor(target), .optionalTensor(weight), .int(reduction.rawValue),
                     .int(ignoreIndex))
    }

    /// `|input - target|`, reduced.
    public static func l1Loss(_ input: Tensor, target: Tensor, reduction: LossReduction = .mean) -> Tensor {
        ATen.l1Loss(.tensor(input), .tensor(target), .int(reduction.rawValue))
    }

    /// `(input - target)²`, reduced.
    public static func mseLoss(_ input: Tensor, target: Tensor, reduction: LossReduction = .mean) -> Tensor {
        ATen.mseLoss(.tensor(input), .tensor(target), .int(reduction.rawValue))
    }

    /// `0.5·d²/beta` where `|d| < beta`, else `|d| - 0.5·beta`, with `d = input - target`.
    public static func smoothL1Loss(
        _ input: Tensor, target: Tensor, reduction: LossReduction = .mean, beta: Double = 1
    ) -> Tensor {
        ATen.smoothL1Loss(.tensor(input), .tensor(target), .int(reduction.rawValue), .double(beta))
    }

    /// `0.5·d²` where `|d| < delta`, else `delta·(|d| - 0.5·delta)`: `smoothL1Loss` scaled by `delta`.
    public static func huberLoss(
        _ input: Tensor, target: Tensor, reduction: LossReduction = .mean, delta: Double = 1
    ) -> Tensor {
        ATen.huberLoss(.tensor(input), .tensor(target), .int(reduction.rawValue), .double(delta))
    }
}
