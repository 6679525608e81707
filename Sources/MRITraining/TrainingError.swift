/// A training run that cannot go on; each case names where and why.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// A configuration value out of range: the field and what is allowed.
    case configuration(field: String, allowed: String)
    /// The loss became NaN or infinite (a diverged run or a bad sample).
    case nonFiniteLoss(epoch: Int, step: Int, value: Double)
    /// The validation closure did not report the monitored metric.
    case missingMetric(name: String, reported: [String])
    /// A checkpoint that cannot resume this run: the file and the entry.
    case checkpoint(file: String, entry: String, reason: String)

    /// A sentence naming the field, step or file.
    public var description: String {
        switch self {
        case let .configuration(field, allowed): "invalid \(field): expected \(allowed)"
        case let .nonFiniteLoss(epoch, step, value):
            "the loss is \(value) at epoch \(epoch + 1), step \(step): the run diverged or a batch holds bad values"
        case let .missingMetric(name, reported):
            "validation did not report the monitored metric \"\(name)\" (it reported \(reported.sorted()))"
        case let .checkpoint(file, entry, reason): "\(file): \(entry): \(reason)"
        }
    }
}
