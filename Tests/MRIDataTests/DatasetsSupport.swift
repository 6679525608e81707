import Foundation
import TorchTestSupport

@testable import MRIData

/// The dataset folders written by `Fixtures/make_dataset_fixtures.py`.
enum DatasetFixtures {
    /// The path of `name` under `Fixtures/datasets/`.
    static func path(_ name: String) -> String {
        Fixture.directory.appendingPathComponent("datasets").appendingPathComponent(name).path
    }

    /// The part each sample of the split dataset is in, as the fixture's membership vectors store
    /// it (-1 for none).
    static func membership<Base: Dataset>(_ parts: [Subset<Base>]) -> [Float] {
        var part = [Float](repeating: -1, count: parts.first?.base.count ?? 0)
        for (index, subset) in parts.enumerated() { for sample in subset.indices { part[sample] = Float(index) } }
        return part
    }
}
