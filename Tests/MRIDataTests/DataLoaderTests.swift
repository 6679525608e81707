import Foundation
import Synchronization
import Testing
import TorchTestSupport

@testable import MRIData

/// Sample `i` is `i + noise`, the noise drawn from the loader's generator; indices in `bad` throw.
private struct NoisyDataset: Dataset {
    let count: Int
    var bad: Set<Int> = []
    let reads = Reads()

    final class Reads: Sendable {
        let value = Atomic<Int>(0)
    }

    func sample(at index: Int) throws -> Tensor { try sample(at: index, generator: Generator(seed: 0)) }

    func sample(at index: Int, generator: Generator) throws -> Tensor {
        reads.value.add(1, ordering: .relaxed)
        if bad.contains(index) { throw DataError(file: "volume\(index).h5", field: "kspace", "truncated") }
        return Tensor.rand([2, 3], generator: generator) + Double(index)
    }
}

private func allBatches<B>(_ loader: DataLoader<some Dataset, B>, epoch: Int? = nil) throws -> [B] {
    let iterator = loader.makeEpoch(epoch)
    var batches: [B] = []
    while let batch = try iterator.next() { batches.append(batch) }
    return batches
}

private func values(_ batches: [Tensor]) -> [[Float]] { batches.map { $0.toArray(of: Float.self) } }

@Suite struct DataLoaderTests {
    @Test func batchesDoNotDependOnTheNumberOfWorkers() throws {
        let dataset = NoisyDataset(count: 23)
        let reference = try allBatches(DataLoader(dataset, batchSize: 4, shuffle: true, workers: 0, seed: 5), epoch: 2)
        #expect(reference.count == 6)
        for workers in [1, 3] {
            let loader = DataLoader(dataset, batchSize: 4, shuffle: true, workers: workers, prefetchFactor: 1, seed: 5)
            #expect(values(try allBatches(loader, epoch: 2)) == values(reference))
        }
    }

    @Test func epochsAndSeedsChangeTheAugmentation() throws {
        let dataset = NoisyDataset(count: 6)
        let loader = DataLoader(dataset, batchSize: 6, workers: 2, seed: 5)
        let first = values(try allBatches(loader, epoch: 0))
        #expect(values(try allBatches(loader, epoch: 0)) == first)
        #expect(values(try allBatches(loader, epoch: 1)) != first)
        #expect(values(try allBatches(DataLoader(dataset, batchSize: 6, workers: 2, seed: 6), epoch: 0)) != first)
    }

    @Test func batchesStackTheSamplerOrder() throws {
        let dataset = NoisyDataset(count: 10)
        let loader = DataLoader(dataset, sampler: RandomSampler(count: 10, seed: 3), workers: 2, seed: 1)
        let batches = try allBatches(
            DataLoader(dataset, batchSize: 3, sampler: RandomSampler(count: 10, seed: 3), workers: 2, seed: 1), epoch: 0)
        #expect(batches.map(\.shape) == [[3, 2, 3], [3, 2, 3], [3, 2, 3], [1, 2, 3]])
        // Sample i lies in [i, i + 1): the integer part names the index read.
        let order = batches.flatMap { $0[TensorIndex.all, 0, 0].toArray(of: Float.self) }
        #expect(order.map { Int($0) } == RandomSampler(count: 10, seed: 3).indices(epoch: 0))
        #expect(loader.batchCount() == 10)
    }

    @Test func bucketBatchesStackSamplesOfOneShape() throws {
        let samples = (0..<9).map { Tensor.zeros([$0 % 3 == 0 ? 4 : 2, 5]) }
        let sampler = BucketBatchSampler(shapes: samples.map(\.shape), batchSize: 2, seed: 3)
        let batches = try allBatches(DataLoader(ArrayDataset(samples), batchSampler: sampler, workers: 2))
        #expect(batches.map { $0.shape[0] }.reduce(0, +) == 9)
        #expect(Set(batches.map { Array($0.shape.dropFirst()) }) == [[4, 5], [2, 5]])
    }

    @Test func dropLastDropsTheShortBatch() throws {
        let batches = try allBatches(DataLoader(NoisyDataset(count: 10), batchSize: 3, dropLast: true, workers: 2))
        #expect(batches.map { $0.shape[0] } == [3, 3, 3])
    }

    @Test func aBadSampleReachesTheConsumerWithItsIndex() throws {
        let loader = DataLoader(NoisyDataset(count: 12, bad: [7]), batchSize: 2, workers: 2)
        let epoch = loader.makeEpoch(0)
        for _ in 0..<3 { #expect(try epoch.next() != nil) }
        do {
            _ = try epoch.next()
            Issue.record("sample 7 did not throw")
        } catch DataLoaderError.sample(let index, let position, let error) {
            #expect(index == 7 && position == 7)
            #expect((error as? DataError)?.file == "volume7.h5")
        }
        #expect(try epoch.next() == nil)
    }

    @Test func skippingBadSamplesCountsThemAndGoesOn() throws {
        let loader = DataLoader(NoisyDataset(count: 12, bad: [2, 4, 5]), batchSize: 2, workers: 2, skipBadSamples: true)
        let epoch = loader.makeEpoch(0)
        var sizes: [Int] = []
        while let batch = try epoch.next() { sizes.append(batch.shape[0]) }
        // Batch [4, 5] is empty and is left out.
        #expect(sizes == [2, 1, 2, 2, 2])
        #expect(epoch.statistics.skippedSamples == 3)
        #expect(epoch.statistics.samples == 9)
        #expect(epoch.statistics.batches == 5)
    }

    @Test func leavingEarlyStopsTheWorkers() throws {
        let dataset = NoisyDataset(count: 400)
        do {
            let epoch = DataLoader(dataset, batchSize: 2, workers: 2, prefetchFactor: 2).makeEpoch(0)
            _ = try epoch.next()
        }
        // Dropping the epoch joined its workers: they read at most the taken batch, the prefetch
        // window of 4 batches behind it, and nothing afterwards.
        let reads = dataset.reads.value.load(ordering: .relaxed)
        #expect(reads <= 2 * (1 + 4))
        Thread.sleep(forTimeInterval: 0.05)
        #expect(dataset.reads.value.load(ordering: .relaxed) == reads)
    }

    @Test func forAwaitRunsSuccessiveEpochs() async throws {
        let dataset = NoisyDataset(count: 5)
        let loader = DataLoader(dataset, batchSize: 2, shuffle: true, workers: 1, seed: 4)
        var first: [Tensor] = []
        for try await batch in loader { first.append(batch) }
        #expect(loader.epoch == 1)
        #expect(values(first) == values(try allBatches(loader, epoch: 0)))
        var second: [Tensor] = []
        for try await batch in loader { second.append(batch) }
        #expect(values(second) == values(try allBatches(loader, epoch: 1)))
    }

    @Test func collationRefusesSamplesOfDifferentShapes() throws {
        let dataset = ArrayDataset([Tensor.zeros([2]), Tensor.zeros([3])])
        #expect(throws: DataLoaderError.self) { try allBatches(DataLoader(dataset, batchSize: 2)) }
    }

    @Test func arraysOfFieldsCollateFieldByField() throws {
        let dataset = ArrayDataset([[Tensor.zeros([2]), Tensor.ones([1])], [Tensor.ones([2]), Tensor.zeros([1])]])
        let batches = try allBatches(DataLoader(dataset, batchSize: 2))
        #expect(batches.count == 1 && batches[0].map(\.shape) == [[2, 2], [2, 1]])
        #expect(try Int.collate([4, 5]).toArray(of: Int.self) == [4, 5])
    }

    @Test func copyingToTheCPUChangesNothing() throws {
        let loader = DataLoader(NoisyDataset(count: 4), batchSize: 2).to(device: .cpu)
        let batches = try allBatches(loader)
        #expect(batches.allSatisfy { $0.device == .cpu && !$0.isPinned })
    }

    @Test func sampleSeedsDifferByEpochAndPosition() {
        let seeds = Set((0..<3).flatMap { epoch in (0..<100).map { sampleSeed(base: 1, epoch: epoch, position: $0) } })
        #expect(seeds.count == 300)
        #expect(Set(seeds.map { $0 & 0xFFFF_FFFF }).count == 300)
    }
}
