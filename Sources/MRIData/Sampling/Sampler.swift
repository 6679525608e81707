/// The order in which an epoch visits a dataset's samples (PyTorch's `Sampler`).
///
/// A sampler is a value: the epoch is an argument rather than state set by `set_epoch`, so one
/// sampler is safely shared by threads and an epoch's order can be recomputed at any time.
public protocol Sampler: Sendable {
    /// The dataset indices of epoch `epoch`, in the order they are read.
    func indices(epoch: Int) -> [Int]
}

/// The batches of an epoch: lists of dataset indices, each list one batch.
public protocol BatchSampler: Sendable {
    /// The batches of epoch `epoch`, in order.
    func batches(epoch: Int) -> [[Int]]
}

/// Cuts a sampler's order into batches of `batchSize` (PyTorch's `BatchSampler`).
public struct Batching: BatchSampler {
    /// The order that is cut.
    public let base: any Sampler
    /// Samples per batch.
    public let batchSize: Int
    /// Whether a last, smaller batch is dropped.
    public let dropLast: Bool

    /// Batches of `batchSize` (positive) samples in `base`'s order; the last one is smaller unless
    /// `dropLast`.
    public init(_ base: any Sampler, batchSize: Int, dropLast: Bool = false) {
        precondition(batchSize > 0, "batchSize must be positive, got \(batchSize)")
        self.base = base
        self.batchSize = batchSize
        self.dropLast = dropLast
    }

    public func batches(epoch: Int) -> [[Int]] { chunked(base.indices(epoch: epoch), size: batchSize, dropLast: dropLast) }
}

/// `indices` in consecutive runs of `size`; the last run is shorter unless `dropLast` drops it.
func chunked(_ indices: [Int], size: Int, dropLast: Bool) -> [[Int]] {
    stride(from: 0, to: indices.count, by: size).compactMap { start in
        let end = min(start + size, indices.count)
        return dropLast && end - start < size ? nil : Array(indices[start..<end])
    }
}
