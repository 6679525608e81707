/// How a `[batch, classes]` table of per-sample, per-class metric values is reduced, with MONAI's
/// `do_metric_reduction` semantics: NaN entries (undefined cases such as an empty ground truth) are
/// left out of every mean and sum; a mean over nothing but NaN is 0, as in MONAI. Infinite values
/// (e.g. a distance to an empty mask) are not left out and make the result infinite.
public enum MetricReduction: String, Sendable, CaseIterable {
    /// No reduction: the `[batch, classes]` table.
    case none
    /// The mean over classes of each sample, then over the samples that have any value: a scalar.
    case mean
    /// The sum over samples and classes: a scalar.
    case sum
    /// The mean over samples for each class: `[classes]`.
    case meanBatch = "mean_batch"
    /// The sum over samples for each class: `[classes]`.
    case sumBatch = "sum_batch"
    /// The mean over classes for each sample: `[batch]`.
    case meanChannel = "mean_channel"
    /// The sum over classes for each sample: `[batch]`.
    case sumChannel = "sum_channel"

    /// Reduces `values` (`[batch, classes, ...]`) over its first two dimensions.
    public func reduce(_ values: Tensor) -> Tensor {
        let missing = values.isnan()
        let counts = missing.logicalNot().to(dtype: values.dtype)
        let filled = values.maskedFill(missing, 0)
        switch self {
        case .none: return values
        case .mean:
            let perSample = Self.mean(filled.sum(dim: 1), counts: counts.sum(dim: 1))
            let samplesWithValues = (counts.sum(dim: 1) .> 0).to(dtype: values.dtype)
            return Self.mean(perSample.sum(dim: 0), counts: samplesWithValues.sum(dim: 0))
        case .sum: return filled.sum(dim: [0, 1])
        case .meanBatch: return Self.mean(filled.sum(dim: 0), counts: counts.sum(dim: 0))
        case .sumBatch: return filled.sum(dim: 0)
        case .meanChannel: return Self.mean(filled.sum(dim: 1), counts: counts.sum(dim: 1))
        case .sumChannel: return filled.sum(dim: 1)
        }
    }

    /// `total / counts` where `counts > 0`, else 0.
    private static func mean(_ total: Tensor, counts: Tensor) -> Tensor {
        Tensor.where(counts .> 0, total / counts, Tensor.zeros(like: total))
    }
}
