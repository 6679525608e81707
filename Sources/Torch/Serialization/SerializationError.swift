/// A tensor file that cannot be read or written: names the file and what is wrong with it.
public struct SerializationError: Error, CustomStringConvertible, Sendable {
    /// The path of the file.
    public let file: String
    /// What is wrong, e.g. `truncated ZIP central directory`.
    public let problem: String

    /// An error about `file`.
    public init(file: String, _ problem: String) {
        self.file = file
        self.problem = problem
    }

    /// `<file>: <problem>`.
    public var description: String { "\(file): \(problem)" }
}
