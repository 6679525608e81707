/// A recipe (YAML training configuration) that MRIKit refuses: names the file, the line, the key,
/// the value found and what is allowed.
public struct RecipeError: Error, CustomStringConvertible, Equatable {
    /// The recipe file.
    public var file: String
    /// The line of the offending value (from 1), when known.
    public var line: Int?
    /// The dotted key path, e.g. `training.optimizer.lr`.
    public var key: String
    /// The value found, as written (`nil` when the key is missing).
    public var value: String?
    /// What is allowed there.
    public var allowed: String

    /// An error about `key` of `file`.
    public init(file: String, line: Int? = nil, key: String, value: String?, allowed: String) {
        self.file = file
        self.line = line
        self.key = key
        self.value = value
        self.allowed = allowed
    }

    /// `<file>:<line>: <key>: got "<value>"; expected <allowed>`.
    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        let found = value.map { "got \"\($0)\"" } ?? "missing"
        return "\(location): \(key): \(found); expected \(allowed)"
    }
}
