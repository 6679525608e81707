/// Why a metric could not be computed from its inputs (shapes, dtypes, options).
///
/// Internal to the metrics until the target's errors are unified into one type.
public struct MetricError: Error, CustomStringConvertible, Equatable {
    /// What was wrong, naming the argument and what was expected.
    public let description: String

    init(_ description: String) { self.description = description }
}

/// Throws unless `prediction` and `target` are real tensors of one shape and device with at least
/// `minimumRank` dims.
func checkPair(_ target: Tensor, _ prediction: Tensor, minimumRank: Int, function: String) throws {
    guard target.shape == prediction.shape else {
        throw MetricError("\(function): target \(target.shape) and prediction \(prediction.shape) differ in shape")
    }
    guard target.device == prediction.device else {
        throw MetricError("\(function): target on \(target.device) and prediction on \(prediction.device)")
    }
    guard target.rank >= minimumRank else {
        throw MetricError("\(function): expected at least \(minimumRank) dimensions, got shape \(target.shape)")
    }
    guard !target.dtype.isComplex, !prediction.dtype.isComplex else {
        throw MetricError("\(function): expected real tensors (take the magnitude of complex images first)")
    }
}
