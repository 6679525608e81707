/// Throws unless `prediction` and `target` are real tensors of one shape and device with at least
/// `minimumRank` dims.
func checkPair(_ target: Tensor, _ prediction: Tensor, minimumRank: Int, function: String) throws {
    guard target.shape == prediction.shape else {
        throw MRIError("prediction", "\(function): shape \(prediction.shape) differs from the target's \(target.shape)")
    }
    guard target.device == prediction.device else {
        throw MRIError("prediction", "\(function): on \(prediction.device), the target on \(target.device)")
    }
    guard target.rank >= minimumRank else {
        throw MRIError("target", "\(function): expected at least \(minimumRank) dimensions, got shape \(target.shape)")
    }
    guard !target.dtype.isComplex, !prediction.dtype.isComplex else {
        throw MRIError("target", "\(function): expected real tensors (take the magnitude of complex images first)")
    }
}
