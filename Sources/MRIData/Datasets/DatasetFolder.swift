import Foundation

/// Listing of the folders datasets read.
enum DatasetFolder {
    /// The visible entries of folder `path`.
    /// - Throws: `DataError` naming `path` when it cannot be listed.
    static func listing(_ path: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }
        } catch {
            throw DataError(file: path, "cannot be listed: \(error.localizedDescription)")
        }
    }

    /// Whether `path` is a folder.
    static func isFolder(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }
}
