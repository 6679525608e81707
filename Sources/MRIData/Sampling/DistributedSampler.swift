/// One rank's share of each epoch (PyTorch's `DistributedSampler`, index for index).
///
/// Epoch `e` shuffles with `torch.randperm(count, generator=manual_seed(seed + e))` (or keeps the
/// order), then either pads by repeating the first indices until every rank has
/// `ceil(count / worldSize)`, or with `dropLast` trims to a multiple of `worldSize`; rank `r` takes
/// positions `r, r + worldSize, …`. Every rank must use the same seed, and the loader's epoch
/// replaces PyTorch's `set_epoch`.
public struct DistributedSampler: Sampler {
    /// The dataset's size.
    public let count: Int
    /// This process's rank, `0..<worldSize`.
    public let rank: Int
    /// The number of processes.
    public let worldSize: Int
    /// Whether each epoch is shuffled.
    public let shuffle: Bool
    /// The shuffling seed of epoch 0 (the same on every rank).
    public let seed: UInt64
    /// Whether the tail is dropped rather than padded.
    public let dropLast: Bool

    /// Rank `rank`'s share of a dataset of `count` samples split among `worldSize` ranks.
    /// - Throws: `DataError` when `rank` is not in `0..<worldSize` or the dataset is empty.
    public init(
        count: Int, rank: Int, worldSize: Int, shuffle: Bool = true, seed: UInt64 = 0, dropLast: Bool = false
    ) throws {
        guard worldSize > 0, (0..<worldSize).contains(rank) else {
            throw DataError(file: "sampler", field: "rank", "rank \(rank) is not in 0..<\(worldSize)")
        }
        guard count > 0 else { throw DataError(file: "sampler", field: "count", "the dataset is empty") }
        self.count = count
        self.rank = rank
        self.worldSize = worldSize
        self.shuffle = shuffle
        self.seed = seed
        self.dropLast = dropLast
    }

    /// Indices per rank and epoch.
    public var samplesPerRank: Int {
        dropLast && count % worldSize != 0 ? (count - worldSize + worldSize - 1) / worldSize : (count + worldSize - 1) / worldSize
    }

    public func indices(epoch: Int) -> [Int] {
        var order =
            shuffle ? permutation(count, seed: seed &+ UInt64(truncatingIfNeeded: epoch)) : Array(0..<count)
        let total = samplesPerRank * worldSize
        if dropLast {
            order = Array(order.prefix(total))
        } else {
            let first = order
            while order.count < total { order += first.prefix(total - order.count) }
        }
        return stride(from: rank, to: total, by: worldSize).map { order[$0] }
    }
}
