import Foundation
import TorchTestSupport

extension Fixture {
    /// Loads `Tests/MRITrainingTests/Fixtures/<name>.json`.
    init(_ name: String) throws { try self.init(name, in: Fixture.directory) }

    /// This test target's fixture directory.
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
    }
}
