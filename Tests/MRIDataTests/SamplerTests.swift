import Testing
import TorchTestSupport

@testable import MRIData

@Suite struct SamplerTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture("samplers") }

    func ints(_ name: String) -> [Int] { fixture.tensor(name).toArray(of: Int.self) }

    @Test func sequentialSamplerVisitsIndicesInOrder() {
        #expect(SequentialSampler(count: 5).indices(epoch: 3) == [0, 1, 2, 3, 4])
    }

    @Test func randomSamplerMatchesTorchRandpermPerEpoch() {
        let sampler = RandomSampler(count: 13, seed: 7)
        #expect(sampler.indices(epoch: 0) == ints("randperm_seed7_epoch0"))
        #expect(sampler.indices(epoch: 1) == ints("randperm_seed7_epoch1"))
    }

    @Test func distributedSamplerMatchesPyTorchOnEveryRank() throws {
        for dropLast in [false, true] {
            for rank in 0..<4 {
                let sampler = try DistributedSampler(count: 10, rank: rank, worldSize: 4, seed: 3, dropLast: dropLast)
                #expect(sampler.indices(epoch: 1) == ints("distributed_drop\(dropLast ? 1 : 0)_rank\(rank)"))
            }
            let plain = try DistributedSampler(count: 10, rank: 1, worldSize: 4, shuffle: false, dropLast: dropLast)
            #expect(plain.indices(epoch: 0) == ints("distributed_plain_drop\(dropLast ? 1 : 0)_rank1"))
        }
    }

    @Test func distributedSamplerRejectsARankOutsideTheWorld() {
        #expect(throws: DataError.self) { try DistributedSampler(count: 10, rank: 4, worldSize: 4) }
    }

    @Test func weightedSamplerMatchesPyTorch() throws {
        let weights = fixture.tensor("weights").toArray(of: Double.self)
        for replacement in [true, false] {
            let sampler = try WeightedRandomSampler(weights: weights, count: 5, replacement: replacement, seed: 5)
            #expect(sampler.indices(epoch: 2) == ints("weighted_replacement\(replacement ? 1 : 0)"))
        }
    }

    @Test func lesionWeightsMixAreaAndUniformDistributions() {
        let areas: [Double] = [0, 10, 30, 0, 60]
        let weights = WeightedRandomSampler.lesionWeights(areas: areas, uniformFraction: 0.1)
        let total = areas.reduce(0, +)
        // A probability distribution, ...
        #expect(abs(weights.reduce(0, +) - 1) < 1e-12)
        // ... a lesion-free slice keeps the uniform part 0.1/(1.1 N), ...
        #expect(abs(weights[0] - 0.1 / (1.1 * Double(areas.count))) < 1e-12)
        // ... and each unit of area adds 1/(1.1 S).
        for index in areas.indices {
            #expect(abs((weights[index] - weights[0]) - areas[index] / (1.1 * total)) < 1e-12)
        }
        #expect(WeightedRandomSampler.lesionWeights(areas: [0, 0]) == [0.5, 0.5])
    }

    @Test func bucketBatchesShareAShapeAndCoverEverySampleOnce() {
        let shapes = (0..<23).map { [[15, 64, 64], [8, 64, 64], [15, 80, 64]][$0 % 3] }
        let sampler = BucketBatchSampler(shapes: shapes, batchSize: 3, seed: 11)
        let batches = sampler.batches(epoch: 0)
        for batch in batches { #expect(Set(batch.map { shapes[$0] }).count == 1) }
        #expect(batches.flatMap { $0 }.sorted() == Array(0..<23))
        #expect(batches.allSatisfy { $0.count <= 3 })
        #expect(sampler.batches(epoch: 0) == batches)
        #expect(sampler.batches(epoch: 1) != batches)
    }

    @Test func bucketSamplerDropsEachBucketsShortBatch() {
        let shapes = (0..<10).map { [$0 < 7 ? 1 : 2] }
        let batches = BucketBatchSampler(shapes: shapes, batchSize: 3, shuffle: false, dropLast: true).batches(epoch: 0)
        #expect(batches == [[0, 1, 2], [3, 4, 5], [7, 8, 9]])
    }

    @Test func batchingCutsTheOrderAndDropsTheShortTail() {
        #expect(Batching(SequentialSampler(count: 7), batchSize: 3).batches(epoch: 0) == [[0, 1, 2], [3, 4, 5], [6]])
        #expect(Batching(SequentialSampler(count: 7), batchSize: 3, dropLast: true).batches(epoch: 0).count == 2)
    }
}
