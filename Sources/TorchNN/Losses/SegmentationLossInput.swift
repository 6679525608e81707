/// The activation a segmentation loss applies to its prediction before comparing it with the target:
/// MONAI's `sigmoid`, `softmax` and `other_act` options, which exclude one another.
public enum LossActivation {
    /// The prediction is used as given (probabilities already).
    case none
    /// An element-wise sigmoid (independent labels).
    case sigmoid
    /// A softmax over the channel dimension (exclusive classes). Skipped for a single channel,
    /// where it would make every prediction 1, as MONAI does.
    case softmax
    /// Any other function of the `[B, C, spatial...]` prediction, e.g. `{ $0.tanh() }`.
    case custom((Tensor) -> Tensor)

    func apply(_ input: Tensor) -> Tensor {
        switch self {
        case .none: input
        case .sigmoid: input.sigmoid()
        case .softmax: input.shape[1] == 1 ? input : Functional.softmax(input, dim: 1)
        case .custom(let function): function(input)
        }
    }
}

/// `labels` `[B, 1, spatial...]` of class indices (any dtype) as one-hot `[B, classes, spatial...]`
/// in `dtype` (MONAI's `one_hot`: classes along dimension 1, as losses and metrics take them).
public func oneHot(_ labels: Tensor, classes: Int, dtype: DType) -> Tensor {
    precondition(labels.rank >= 2 && labels.shape[1] == 1,
                 "class-index targets must be [B, 1, spatial...], got \(labels.shape)")
    var shape = labels.shape
    shape[1] = classes
    return Tensor.zeros(shape, dtype: dtype, device: labels.device)
        .scatter(dim: 1, index: labels.to(dtype: .int64), value: 1)
}

/// A segmentation prediction and target, both `[B, C, spatial...]`, made ready the way MONAI's
/// overlap and focal losses do: activation, then one-hot targets, then the background channel dropped.
/// The target conversions are skipped for a single-channel prediction, where they make no sense.
struct SegmentationLossInput {
    let input: Tensor
    let target: Tensor

    init(input: Tensor, target: Tensor, activation: LossActivation, toOnehotY: Bool, includeBackground: Bool) {
        var input = activation.apply(input)
        let channels = input.shape[1]
        var target = toOnehotY && channels > 1 ? oneHot(target, classes: channels, dtype: input.dtype) : target
        if !includeBackground && channels > 1 {
            input = input.narrow(dim: 1, start: 1, length: channels - 1)
            target = target.narrow(dim: 1, start: 1, length: channels - 1)
        }
        precondition(input.shape == target.shape,
                     "the target \(target.shape) does not match the prediction \(input.shape)")
        self.input = input
        self.target = target
    }

    /// The number of channels compared (the background excluded when asked).
    var classes: Int { input.shape[1] }

    /// The dimensions the overlap sums run over: the spatial ones, and the batch too when `batch`
    /// (one score per class for the whole batch instead of one per item and class).
    func overlapDims(batch: Bool) -> [Int] {
        (batch ? [0] : []) + Array(2..<input.rank)
    }

    /// `Σ input·target`, `Σ input` and `Σ target` over `dims`; with `squared`, the last two sum squares.
    func overlapSums(dims: [Int], squared: Bool = false) -> (intersection: Tensor, predicted: Tensor, truth: Tensor) {
        let power = { (tensor: Tensor) in squared ? tensor.square() : tensor }
        return ((input * target).sum(dim: dims), power(input).sum(dim: dims), power(target).sum(dim: dims))
    }
}

/// Per-class scores `[B, C]` (or `[C]` / `[1]` for batch-wide scores) reduced as MONAI's Dice losses do:
/// `.none` keeps them, shaped `[B, C, 1, ...]` to broadcast against a `rank`-dimensional prediction.
func reduceClassScores(_ scores: Tensor, _ reduction: LossReduction, rank: Int) -> Tensor {
    switch reduction {
    case .mean: scores.mean()
    case .sum: scores.sum()
    case .none: scores.reshape(Array(scores.shape.prefix(2)) + Array(repeating: 1, count: rank - 2))
    }
}

/// Class weights as a tensor of `like`'s dtype and device: one per class, or one for all.
func classWeightTensor(_ weight: [Double], classes: Int, like other: Tensor) -> Tensor {
    precondition(weight.count == 1 || weight.count == classes,
                 "\(weight.count) class weights for \(classes) classes (without the background when it is excluded)")
    precondition(weight.allSatisfy { $0 >= 0 }, "class weights must be non-negative, got \(weight)")
    return Tensor(weight).to(device: other.device, dtype: other.dtype)
}
