/// A failure of a distributed job: a bad launch environment, or a collective that failed
/// because a peer died, stalled past the timeout or never joined.
public enum DistributedError: Error, CustomStringConvertible, Sendable {
    /// The environment variable `variable` is missing or malformed.
    case environment(variable: String, reason: String)
    /// `operation` failed on rank `rank` with libtorch's (c10d's) `message`.
    case communication(operation: String, rank: Int, message: String)

    public var description: String {
        switch self {
        case .environment(let variable, let reason):
            return "distributed launch: environment variable \(variable) \(reason)"
        case .communication(let operation, let rank, let message):
            return "distributed \(operation) failed on rank \(rank) (a peer died, stalled or never joined): \(message)"
        }
    }
}
