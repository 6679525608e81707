/// A sample type that knows how to gather several samples into one batch (PyTorch's
/// `default_collate`, typed): tensors stack along a new first dimension, integers and reals become
/// 1-D tensors, arrays collate element by element.
///
/// Conform your own sample structs by collating each field, e.g. `Tensor.collate(samples.map(\.image))`.
public protocol Collatable {
    /// What a batch of these samples is.
    associatedtype Batch
    /// Gathers `samples` (at least one) into a batch; throws `DataLoaderError.collation` when they
    /// cannot be batched (e.g. tensors of different shapes).
    static func collate(_ samples: [Self]) throws -> Batch
}

extension Tensor: Collatable {
    /// `[n, …]`: the `n` samples (all of one shape and dtype) stacked along a new first dimension.
    public static func collate(_ samples: [Tensor]) throws -> Tensor {
        guard let first = samples.first else { throw DataLoaderError.collation("no samples to collate") }
        if let other = samples.first(where: { $0.shape != first.shape || $0.dtype != first.dtype }) {
            throw DataLoaderError.collation(
                "samples differ: \(first.dtype) \(first.shape) and \(other.dtype) \(other.shape) "
                    + "(bucket by shape, or pad/crop to one size)")
        }
        return Tensor.stack(samples)
    }
}

extension Int: Collatable {
    /// An `int64` tensor `[n]`.
    public static func collate(_ samples: [Int]) throws -> Tensor { Tensor(samples, shape: [samples.count]) }
}

extension Double: Collatable {
    /// A `float64` tensor `[n]` (as PyTorch collates Python floats).
    public static func collate(_ samples: [Double]) throws -> Tensor { Tensor(samples, shape: [samples.count]) }
}

extension String: Collatable {
    /// The strings, in order (file names stay names).
    public static func collate(_ samples: [String]) throws -> [String] { samples }
}

extension Array: Collatable where Element: Collatable {
    /// Field `k` of the batch collates field `k` of every sample; all samples need the same length.
    public static func collate(_ samples: [[Element]]) throws -> [Element.Batch] {
        guard let width = samples.first?.count else { throw DataLoaderError.collation("no samples to collate") }
        guard samples.allSatisfy({ $0.count == width }) else {
            throw DataLoaderError.collation("samples have different numbers of fields: \(samples.map(\.count))")
        }
        return try (0..<width).map { field in try Element.collate(samples.map { $0[field] }) }
    }
}
