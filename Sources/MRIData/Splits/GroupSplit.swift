/// Splits a dataset into parts (train/validation/test) at the level of groups — patients or
/// volumes — so the slices of one group never end up in two parts.
///
/// Groups are listed in order of first appearance, shuffled with `torch.randperm(groups,
/// generator=manual_seed(seed))`, and dealt out in that order: the first part takes the first
/// groups, and so on. Each part's indices are returned in ascending order.
public enum GroupSplit {
    /// Parts holding `ratios` of the groups (e.g. `[4, 1, 2]` or `[0.8, 0.2]`; normalised). The
    /// group counts are the ratios' shares of the number of groups, rounded by largest remainder
    /// (ties to the earlier part), so they add up to the number of groups.
    ///
    /// - Parameters:
    ///   - keys: the group of each sample (`keys[i]`: e.g. the file name of slice `i`).
    ///   - ratios: one positive ratio per part.
    ///   - seed: the shuffle's seed.
    /// - Returns: one array of sample indices per part.
    /// - Throws: `DataError` when a ratio is not positive.
    public static func split<Key: Hashable>(keys: [Key], ratios: [Double], seed: UInt64) throws -> [[Int]] {
        guard !ratios.isEmpty, ratios.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw DataError(file: "split", field: "ratios", "need positive ratios, got \(ratios)")
        }
        let groups = groupMembers(keys)
        let total = ratios.reduce(0, +)
        let shares = ratios.map { $0 / total * Double(groups.count) }
        var counts = shares.map { Int($0.rounded(.down)) }
        let byRemainder = shares.indices.sorted { (shares[$0] - Double(counts[$0])) > (shares[$1] - Double(counts[$1])) }
        for part in byRemainder.prefix(groups.count - counts.reduce(0, +)) { counts[part] += 1 }
        return try deal(groups, counts: counts, seed: seed)
    }

    /// Parts holding `counts` groups each, in order; groups left over go to no part.
    ///
    /// - Parameters:
    ///   - keys: the group of each sample.
    ///   - counts: the number of groups in each part (non-negative, at most the number of groups in all).
    ///   - seed: the shuffle's seed.
    /// - Returns: one array of sample indices per part.
    /// - Throws: `DataError` when the counts ask for more groups than there are.
    public static func split<Key: Hashable>(keys: [Key], counts: [Int], seed: UInt64) throws -> [[Int]] {
        try deal(groupMembers(keys), counts: counts, seed: seed)
    }

    /// The sample indices of each distinct key, keys in order of first appearance.
    private static func groupMembers<Key: Hashable>(_ keys: [Key]) -> [[Int]] {
        var groupOfKey: [Key: Int] = [:]
        var groups: [[Int]] = []
        for (index, key) in keys.enumerated() {
            if let group = groupOfKey[key] {
                groups[group].append(index)
            } else {
                groupOfKey[key] = groups.count
                groups.append([index])
            }
        }
        return groups
    }

    private static func deal(_ groups: [[Int]], counts: [Int], seed: UInt64) throws -> [[Int]] {
        guard counts.allSatisfy({ $0 >= 0 }), counts.reduce(0, +) <= groups.count else {
            throw DataError(file: "split", field: "counts", "\(counts) groups asked of \(groups.count)")
        }
        let order = permutation(groups.count, seed: seed)
        var start = 0
        return counts.map { count in
            defer { start += count }
            return order[start..<(start + count)].flatMap { groups[$0] }.sorted()
        }
    }
}

/// The samples of another dataset at `indices` (PyTorch's `Subset`): one part of a split.
public struct Subset<Base: Dataset>: Dataset {
    /// The dataset read.
    public let base: Base
    /// The indices into `base`, in this dataset's order.
    public let indices: [Int]

    /// `base`'s samples at `indices`.
    public init(_ base: Base, indices: [Int]) {
        self.base = base
        self.indices = indices
    }

    public var count: Int { indices.count }

    public func sample(at index: Int) throws -> Base.Sample { try base.sample(at: indices[index]) }

    public func sample(at index: Int, generator: Generator) throws -> Base.Sample {
        try base.sample(at: indices[index], generator: generator)
    }
}
