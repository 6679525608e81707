import Foundation

/// A temporary folder removed when the test ends.
final class Scratch {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mrikit-cli-\(UUID().uuidString)")
    var path: String { url.path }
    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` to the file `name` in the folder and returns its path.
    func write(_ text: String, to name: String) throws -> String {
        let file = url.appendingPathComponent(name).path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}
