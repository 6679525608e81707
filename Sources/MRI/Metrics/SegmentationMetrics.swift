/// Overlap and confusion-matrix metrics for segmentations, with MONAI 1.6's semantics.
///
/// Inputs are one-hot `[batch, classes, spatial...]` tensors (2D or 3D spatial dims; any real dtype;
/// non-zero counts as foreground), like MONAI's `y_pred` (already binarised) and `y`. Channel 0 is the
/// background: `includeBackground: false` drops it before computing. Results are float64 tensors
/// on the inputs' device, `[batch, classes]` before the `reduction` (see `MetricReduction`).
public enum SegmentationMetrics {
    /// The Dice coefficient `2|P ∩ T| / (|P| + |T|)` per sample and class (MONAI `DiceMetric`).
    ///
    /// Empty ground truth: NaN when `ignoreEmpty` (MONAI's default, left out of means); otherwise 1
    /// when the prediction is empty too and 0 when it is not.
    ///
    /// - Parameters:
    ///   - prediction: binarised one-hot prediction `[batch, classes, spatial...]`.
    ///   - target: one-hot ground truth, the shape of `prediction`.
    public static func dice(
        prediction: Tensor, target: Tensor, includeBackground: Bool = true, ignoreEmpty: Bool = true,
        reduction: MetricReduction = .mean
    ) throws -> Tensor {
        let counts = try overlapCounts(prediction, target, includeBackground: includeBackground, function: "dice")
        let sizes = counts.targetSize + counts.predictionSize
        let emptyValue = ignoreEmpty
            ? nanLike(sizes) : Tensor.where(sizes .> 0, Tensor.zeros(like: sizes), Tensor.ones(like: sizes))
        return reduction.reduce(Tensor.where(counts.targetSize .> 0, counts.intersection * 2 / sizes, emptyValue))
    }

    /// The intersection over union (Jaccard index) `|P ∩ T| / |P ∪ T|` per sample and class (MONAI
    /// `MeanIoU`).
    ///
    /// Empty ground truth: NaN when `ignoreEmpty` (MONAI's default); otherwise 1 when the union is
    /// empty, and 0 when only the prediction has foreground.
    ///
    /// - Parameters:
    ///   - prediction: binarised one-hot prediction `[batch, classes, spatial...]`.
    ///   - target: one-hot ground truth, the shape of `prediction`.
    public static func iou(
        prediction: Tensor, target: Tensor, includeBackground: Bool = true, ignoreEmpty: Bool = true,
        reduction: MetricReduction = .mean
    ) throws -> Tensor {
        let counts = try overlapCounts(prediction, target, includeBackground: includeBackground, function: "iou")
        let union = counts.targetSize + counts.predictionSize - counts.intersection
        let ratio = counts.intersection / union
        let values = ignoreEmpty
            ? Tensor.where(counts.targetSize .> 0, ratio, nanLike(union))
            : Tensor.where(union .> 0, ratio, Tensor.ones(like: union))
        return reduction.reduce(values)
    }

    /// The confusion matrix `[batch, classes, 4]` holding (TP, FP, TN, FN) voxel counts as float64
    /// (MONAI `get_confusion_matrix`).
    ///
    /// - Parameters:
    ///   - prediction: binarised one-hot prediction `[batch, classes, spatial...]`.
    ///   - target: one-hot ground truth, the shape of `prediction`.
    public static func confusionMatrix(
        prediction: Tensor, target: Tensor, includeBackground: Bool = true
    ) throws -> Tensor {
        let counts = try overlapCounts(
            prediction, target, includeBackground: includeBackground, function: "confusionMatrix")
        let negatives = Double(counts.voxels) - counts.targetSize
        let falsePositives = counts.predictionSize - counts.intersection
        let trueNegatives = negatives - falsePositives
        let falseNegatives = counts.targetSize - counts.intersection
        return Tensor.stack([counts.intersection, falsePositives, trueNegatives, falseNegatives], dim: -1)
    }

    /// A confusion-matrix metric as MONAI's `ConfusionMatrixMetric` aggregates it.
    ///
    /// With `computeSample: false` (MONAI's default) the confusion matrices are reduced first (a
    /// `.mean` averages the counts over samples and classes) and the metric is taken of the result;
    /// with `true` the metric is taken per sample and class, then reduced. A metric whose denominator
    /// is 0 is NaN (see `ConfusionMetric`).
    ///
    /// - Parameters:
    ///   - metric: which metric.
    ///   - prediction: binarised one-hot prediction `[batch, classes, spatial...]`.
    ///   - target: one-hot ground truth, the shape of `prediction`.
    public static func confusionMetric(
        _ metric: ConfusionMetric, prediction: Tensor, target: Tensor, includeBackground: Bool = true,
        computeSample: Bool = false, reduction: MetricReduction = .mean
    ) throws -> Tensor {
        let matrix = try confusionMatrix(prediction: prediction, target: target, includeBackground: includeBackground)
        if computeSample { return reduction.reduce(metric(matrix)) }
        return metric(reduction.reduce(matrix))
    }

    // MARK: Implementation

    struct OverlapCounts {
        /// |P ∩ T|, |P|, |T| per sample and class, `[batch, classes]` float64.
        let intersection: Tensor
        let predictionSize: Tensor
        let targetSize: Tensor
        /// Voxels per sample and class.
        let voxels: Int
    }

    /// The foreground of `prediction` and `target` as float64 `[batch, classes, voxels]`, validated.
    static func binarised(
        _ prediction: Tensor, _ target: Tensor, includeBackground: Bool, function: String
    ) throws -> (prediction: Tensor, target: Tensor) {
        guard prediction.shape == target.shape else {
            throw MRIError(
                "prediction", "\(function): shape \(prediction.shape) differs from the target's \(target.shape)")
        }
        guard prediction.rank >= 3 else {
            throw MRIError("prediction", "\(function): expected one-hot [batch, classes, spatial...], got \(prediction.shape)")
        }
        guard !prediction.dtype.isComplex, !target.dtype.isComplex else {
            throw MRIError("prediction", "\(function): expected real one-hot masks, got complex tensors")
        }
        let first = includeBackground ? 0 : 1
        guard prediction.size(1) > first else {
            throw MRIError(
                "includeBackground", "\(function): false needs at least 2 classes, got \(prediction.size(1))")
        }
        func foreground(_ mask: Tensor) -> Tensor {
            (mask.narrow(dim: 1, start: first, length: mask.size(1) - first) .!= 0).to(dtype: .float64)
                .flatten(startDim: 2)
        }
        return (foreground(prediction), foreground(target.to(device: prediction.device)))
    }

    static func overlapCounts(
        _ prediction: Tensor, _ target: Tensor, includeBackground: Bool, function: String
    ) throws -> OverlapCounts {
        let masks = try binarised(prediction, target, includeBackground: includeBackground, function: function)
        return OverlapCounts(
            intersection: (masks.prediction * masks.target).sum(dim: 2),
            predictionSize: masks.prediction.sum(dim: 2), targetSize: masks.target.sum(dim: 2),
            voxels: masks.prediction.size(2))
    }
}

/// NaN in the shape, dtype and device of `like`.
func nanLike(_ like: Tensor) -> Tensor { Tensor.full(like: like, Double.nan) }

/// A metric of a confusion matrix (MONAI `compute_confusion_matrix_metric`), with its MONAI name as raw value.
///
/// Each is `numerator / denominator` of the counts (TP, FP, TN, FN; P = TP + FN, N = FP + TN) and NaN
/// where the denominator is 0 — e.g. sensitivity with no positive ground truth, precision with an empty
/// prediction, MCC when any of its four marginal sums is 0.
public enum ConfusionMetric: String, Sendable, CaseIterable {
    /// TP / P (recall, true positive rate).
    case sensitivity
    /// TN / N (true negative rate).
    case specificity
    /// TP / (TP + FP) (positive predictive value).
    case precision
    /// TN / (TN + FN).
    case negativePredictiveValue = "negative predictive value"
    /// 2TP / (2TP + FN + FP).
    case f1 = "f1 score"
    /// (TP + TN) / (P + N).
    case accuracy
    /// (TP·TN − FP·FN) / √((TP + FP)(TP + FN)(TN + FP)(TN + FN)).
    case matthewsCorrelation = "matthews correlation coefficient"

    /// The metric of confusion matrices `[..., 4]` (TP, FP, TN, FN) → `[...]`.
    public func callAsFunction(_ matrix: Tensor) -> Tensor {
        let counts = matrix.unbind(dim: -1)
        let (tp, fp, tn, fn) = (counts[0], counts[1], counts[2], counts[3])
        let numerator: Tensor
        let denominator: Tensor
        switch self {
        case .sensitivity: (numerator, denominator) = (tp, tp + fn)
        case .specificity: (numerator, denominator) = (tn, fp + tn)
        case .precision: (numerator, denominator) = (tp, tp + fp)
        case .negativePredictiveValue: (numerator, denominator) = (tn, tn + fn)
        case .f1: (numerator, denominator) = (tp * 2, tp * 2 + fn + fp)
        case .accuracy: (numerator, denominator) = (tp + tn, tp + fp + tn + fn)
        case .matthewsCorrelation:
            numerator = tp * tn - fp * fn
            denominator = ((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)).sqrt()
        }
        return Tensor.where(denominator .!= 0, numerator / denominator, nanLike(numerator))
    }
}
