import Foundation
import TorchTestSupport

/// The dataset folders written by `Fixtures/make_dataset_fixtures.py`.
enum DatasetFixtures {
    /// The path of `name` under `Fixtures/datasets/`.
    static func path(_ name: String) -> String {
        Fixture.directory.appendingPathComponent("datasets").appendingPathComponent(name).path
    }

    /// The part each sample is in, as the fixture's membership vectors store it (-1 for none).
    static func membership(_ parts: [[Int]], count: Int) -> [Float] {
        var part = [Float](repeating: -1, count: count)
        for (index, indices) in parts.enumerated() { for sample in indices { part[sample] = Float(index) } }
        return part
    }
}
