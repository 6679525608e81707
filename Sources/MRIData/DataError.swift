/// A file, or a sample read from one, that MRIKit refuses: the error names the file and the
/// field (an HDF5 dataset or attribute, a NIfTI header field, an XML element, ...).
///
/// Readers throw it for missing, truncated or corrupt files, wrong shapes or dtypes, NaNs,
/// missing attributes and malformed headers; datasets that skip bad samples log its description.
public struct DataError: Error, CustomStringConvertible, Equatable {
    /// The file's path.
    public let file: String
    /// The field inside the file that is wrong, or `nil` when the file as a whole is.
    public let field: String?
    /// What is wrong.
    public let reason: String

    /// An error about `field` of `file` (or the whole file when `field` is `nil`).
    public init(file: String, field: String? = nil, _ reason: String) {
        self.file = file
        self.field = field
        self.reason = reason
    }

    /// `<file>: <field>: <reason>`.
    public var description: String {
        if let field { return "\(file): \(field): \(reason)" }
        return "\(file): \(reason)"
    }
}
