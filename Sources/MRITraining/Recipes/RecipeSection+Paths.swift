import Foundation

extension RecipeSection {
    /// Whether recipes check that the folders and files they name exist (on by default). Tools and
    /// tests that only parse a recipe turn it off for a scope:
    /// `try RecipeSection.$checksPaths.withValue(false) { try UnetRecipe(section) }`.
    @TaskLocal public static var checksPaths = true

    /// The path `key`, refused (while `checksPaths`) unless it names an existing folder; `allowed`
    /// says what the folder should hold, e.g. "an existing folder of fastMRI .h5 files".
    public func existingFolder(_ key: String, allowed: String) throws -> String {
        try existingPath(key, folder: true, allowed: allowed)
    }

    /// The path `key`, refused (while `checksPaths`) unless it names an existing file.
    public func existingFile(_ key: String, allowed: String) throws -> String {
        try existingPath(key, folder: false, allowed: allowed)
    }

    private func existingPath(_ key: String, folder: Bool, allowed: String) throws -> String {
        let path = try string(key)
        guard Self.checksPaths else { return path }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue == folder else {
            throw error(key, value: path, allowed: allowed)
        }
        return path
    }
}
