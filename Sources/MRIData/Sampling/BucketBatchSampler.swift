/// Batches whose samples all share one shape, so they stack without padding (the bucket sampler
/// of the fastMRI 2020 entry that batched k-space with different numbers of coils).
///
/// Samples are grouped by shape (buckets in order of first appearance); each epoch, with `shuffle`,
/// every bucket is shuffled, cut into batches, and the batches of all buckets are shuffled
/// together, all from generators seeded `seed + epoch`. Without `shuffle`, buckets keep the dataset
/// order and come one after the other.
public struct BucketBatchSampler: BatchSampler {
    /// The index lists of the buckets, one per distinct shape.
    public let buckets: [[Int]]
    /// Samples per batch.
    public let batchSize: Int
    /// Whether batches and their contents are shuffled each epoch.
    public let shuffle: Bool
    /// Whether each bucket's last, smaller batch is dropped.
    public let dropLast: Bool
    /// The seed of epoch 0; epoch `e` uses `seed + e`.
    public let seed: UInt64

    /// Buckets of the samples whose shapes (e.g. `[coils, H, W]`) are `shapes[i]`.
    public init(shapes: [[Int]], batchSize: Int, shuffle: Bool = true, dropLast: Bool = false, seed: UInt64 = 0) {
        precondition(batchSize > 0, "batchSize must be positive, got \(batchSize)")
        var bucketOfShape: [[Int]: Int] = [:]
        var buckets: [[Int]] = []
        for (index, shape) in shapes.enumerated() {
            if let bucket = bucketOfShape[shape] {
                buckets[bucket].append(index)
            } else {
                bucketOfShape[shape] = buckets.count
                buckets.append([index])
            }
        }
        self.buckets = buckets
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = seed
    }

    public func batches(epoch: Int) -> [[Int]] {
        let epochSeed = seed &+ UInt64(truncatingIfNeeded: epoch)
        let batches = buckets.enumerated().flatMap { bucket, members in
            // One stream per bucket, so a bucket's batches do not depend on the others' sizes.
            let order = shuffle ? permutation(members.count, seed: sampleSeed(base: epochSeed, epoch: 0, position: bucket)).map { members[$0] } : members
            return chunked(order, size: batchSize, dropLast: dropLast)
        }
        guard shuffle else { return batches }
        return permutation(batches.count, seed: epochSeed).map { batches[$0] }
    }
}
