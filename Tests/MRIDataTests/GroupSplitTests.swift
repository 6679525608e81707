import Testing

@testable import MRIData

@Suite struct GroupSplitTests {
    /// 14 volumes of 3 to 9 slices each; `keys[i]` names slice `i`'s volume.
    let keys: [String] = (0..<14).flatMap { volume in Array(repeating: "file\(volume).h5", count: 3 + volume % 7) }

    func volumes(_ part: [Int]) -> Set<String> { Set(part.map { keys[$0] }) }

    @Test func ratiosSplitVolumesWithoutLeakingSlices() throws {
        let parts = try GroupSplit.split(keys: keys, ratios: [4, 1, 2], seed: 1)
        #expect(parts.map { volumes($0).count } == [8, 2, 4])
        #expect(parts.flatMap { $0 }.sorted() == Array(keys.indices))
        for (a, b) in [(0, 1), (0, 2), (1, 2)] { #expect(volumes(parts[a]).isDisjoint(with: volumes(parts[b]))) }
        // Every slice of a chosen volume comes along.
        for part in parts {
            #expect(part.count == keys.indices.filter { volumes(part).contains(keys[$0]) }.count)
        }
    }

    @Test func largestRemainderRoundingKeepsEveryVolume() throws {
        let parts = try GroupSplit.split(keys: keys, ratios: [0.8, 0.2], seed: 2)
        // 14 × 0.8 = 11.2 and 14 × 0.2 = 2.8: the larger remainder takes the leftover volume.
        #expect(parts.map { volumes($0).count } == [11, 3])
    }

    @Test func countsTakeThatManyVolumes() throws {
        let parts = try GroupSplit.split(keys: keys, counts: [3, 2], seed: 5)
        #expect(parts.map { volumes($0).count } == [3, 2])
        #expect(throws: DataError.self) { try GroupSplit.split(keys: keys, counts: [10, 5], seed: 5) }
    }

    @Test func theSeedFixesTheSplit() throws {
        let first = try GroupSplit.split(keys: keys, ratios: [8, 2], seed: 9)
        #expect(try GroupSplit.split(keys: keys, ratios: [8, 2], seed: 9) == first)
        #expect(try (10..<14).contains { try GroupSplit.split(keys: keys, ratios: [8, 2], seed: $0) != first })
    }

    @Test func subsetReadsTheBaseAtItsIndices() throws {
        let subset = Subset(ArrayDataset([10, 11, 12, 13]), indices: [3, 1])
        #expect(subset.count == 2)
        #expect(try subset.sample(at: 0) == 13)
    }
}
