/// A dataset whose samples belong to groups — patients, subjects or volumes — that splits keep
/// whole (``GroupSplit``), so no group's samples end up in two parts.
public protocol GroupedDataset<Sample>: Dataset {
    /// The group of each sample (`groupKeys[i]` for sample `i`).
    var groupKeys: [String] { get }
}

extension GroupedDataset {
    /// Parts holding `ratios` of the groups (e.g. `[4, 1, 2]`), shuffled with `seed`.
    /// - Throws: `DataError` when a ratio is not positive.
    public func split(ratios: [Double], seed: UInt64) throws -> [Subset<Self>] {
        try GroupSplit.split(keys: groupKeys, ratios: ratios, seed: seed).map { Subset(self, indices: $0) }
    }

    /// Parts holding `counts` groups each, shuffled with `seed`; groups left over go to no part.
    /// - Throws: `DataError` when the counts ask for more groups than there are.
    public func split(counts: [Int], seed: UInt64) throws -> [Subset<Self>] {
        try GroupSplit.split(keys: groupKeys, counts: counts, seed: seed).map { Subset(self, indices: $0) }
    }
}
