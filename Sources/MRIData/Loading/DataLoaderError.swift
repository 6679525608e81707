/// Why a `DataLoader` stopped an epoch.
public enum DataLoaderError: Error, CustomStringConvertible {
    /// Reading or transforming dataset sample `index` (drawn at `position` of the epoch) threw `error`
    /// (usually a `DataError` naming the file and field).
    case sample(index: Int, position: Int, error: any Error)
    /// Samples could not be gathered into a batch.
    case collation(String)

    public var description: String {
        switch self {
        case .sample(let index, let position, let error): "sample \(index) (position \(position) of the epoch): \(error)"
        case .collation(let reason): "cannot collate a batch: \(reason)"
        }
    }
}
