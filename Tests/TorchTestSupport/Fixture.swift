import Foundation
import Testing

import Torch

/// Tensors computed by PyTorch, read from a JSON fixture written by `fixture_io.py`.
public struct Fixture {
    private let entries: [String: Entry]
    /// The fixture file's path.
    public let file: String

    struct Entry: Decodable {
        let dtype: String
        let shape: [Int]
        let data: [Double]
    }

    /// Loads `<directory>/<name>.json`.
    public init(_ name: String, in directory: URL) throws {
        let url = directory.appendingPathComponent("\(name).json")
        file = url.path
        entries = try JSONDecoder().decode([String: Entry].self, from: Data(contentsOf: url))
    }

    /// The fixture tensor `name`, in its recorded dtype.
    public func tensor(_ name: String) -> Tensor {
        guard let entry = entries[name] else { fatalError("\(file) has no entry \(name)") }
        guard let dtype = DType(name: entry.dtype) else { fatalError("\(file): unknown dtype \(entry.dtype)") }
        if dtype.isComplex {
            let parts = Tensor(entry.data, shape: entry.shape + [2]).to(dtype: dtype.realCounterpart)
            return parts.viewAsComplex()
        }
        return Tensor(entry.data, shape: entry.shape).to(dtype: dtype)
    }

    /// The fixture value `name` as a Double (0-d entries).
    public func scalar(_ name: String) -> Double {
        guard let entry = entries[name], entry.data.count == 1 else { fatalError("\(file): no scalar \(name)") }
        return entry.data[0]
    }
}

/// The largest absolute difference between two tensors (complex: of the difference's modulus).
public func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Double {
    #expect(a.shape == b.shape, "shapes differ: \(a.shape) vs \(b.shape)")
    let type = promoted(a, b)
    let magnitude = (a.to(dtype: type) - b.to(dtype: type)).abs()
    guard magnitude.count > 0 else { return 0 }
    return magnitude.max().to(dtype: .float64).item(Double.self)
}

private func promoted(_ a: Tensor, _ b: Tensor) -> DType {
    if a.dtype.isComplex || b.dtype.isComplex { return .complex128 }
    return .float64
}

/// Expects `actual` to match `expected` elementwise within `tolerance` (absolute).
public func expectClose(
    _ actual: Tensor, _ expected: Tensor, tolerance: Double, _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.shape == expected.shape, comment, sourceLocation: sourceLocation)
    guard actual.shape == expected.shape else { return }
    let difference = maxAbsDifference(actual, expected)
    #expect(difference <= tolerance, "max |Δ| = \(difference) > \(tolerance). \(comment?.description ?? "")",
            sourceLocation: sourceLocation)
}
