import Foundation

/// Reads batches from a dataset on worker threads, ahead of the consumer (PyTorch's `DataLoader`).
///
/// Each epoch, the batch sampler fixes the batches; worker threads (plain threads, since reading and
/// transforming block on I/O and tensor work) build batches in a bounded window ahead of the
/// consumer, who receives them in the sampler's order. Sample number `p` of epoch `e` is read with a
/// generator seeded `sampleSeed(base: seed, epoch: e, position: p)`, so the batches are the same
/// whatever the number of workers.
///
/// ```swift
/// let loader = DataLoader(dataset, batchSize: 8, shuffle: true, workers: 2, seed: 42)
/// for try await batch in loader { ... }            // one epoch; the next loop runs the next epoch
/// let epoch = loader.makeEpoch(3)                 // or synchronously:
/// while let batch = try epoch.next() { ... }
/// ```
///
/// A sample that throws ends the epoch with `DataLoaderError.sample`, naming the index, unless
/// `skipBadSamples` is set: then it is left out of its batch, a warning goes to standard error and
/// `LoaderStatistics.skippedSamples` counts it. Leaving a loop early stops the workers.
public final class DataLoader<Source: Dataset, Batch>: @unchecked Sendable {
    // @unchecked: the only mutable state, the next epoch number, is guarded by `lock`.
    /// The dataset read.
    public let dataset: Source
    /// The batches of each epoch.
    public let batchSampler: any BatchSampler
    /// Worker threads; 0 reads on the consumer's thread.
    public let workers: Int
    /// Batches each worker may have ready ahead of the consumer (PyTorch's `prefetch_factor`).
    public let prefetchFactor: Int
    /// The base seed of the per-sample generators.
    public let seed: UInt64
    /// Whether samples that throw are skipped (with a warning) instead of ending the epoch.
    public let skipBadSamples: Bool
    let collate: @Sendable ([Source.Sample]) throws -> Batch
    let transfer: Transfer?

    private let lock = NSLock()
    private var nextEpoch = 0

    /// How batches reach the device: pinned on the worker, copied on the consumer's thread.
    struct Transfer: @unchecked Sendable {
        let pin: ((Batch) -> Batch)?
        let copy: (Batch) -> Batch
    }

    /// A loader of `batchSampler`'s batches of `dataset`, gathered by `collate`.
    ///
    /// - Parameters:
    ///   - workers: threads reading samples (0: the consumer reads them itself).
    ///   - prefetchFactor: batches per worker built ahead of the consumer (at least 1).
    ///   - seed: base seed of the generators that samples are read with.
    ///   - skipBadSamples: leave samples that throw out of their batch (with a warning) instead of
    ///     ending the epoch with the error.
    ///   - collate: gathers a batch's samples (never empty) into a batch.
    public convenience init(
        _ dataset: Source, batchSampler: any BatchSampler, workers: Int = 0, prefetchFactor: Int = 2,
        seed: UInt64 = 0, skipBadSamples: Bool = false,
        collate: @escaping @Sendable ([Source.Sample]) throws -> Batch
    ) {
        self.init(
            dataset, batchSampler: batchSampler, workers: workers, prefetchFactor: prefetchFactor, seed: seed,
            skipBadSamples: skipBadSamples, collate: collate, transfer: nil)
    }

    private init(
        _ dataset: Source, batchSampler: any BatchSampler, workers: Int, prefetchFactor: Int, seed: UInt64,
        skipBadSamples: Bool, collate: @escaping @Sendable ([Source.Sample]) throws -> Batch, transfer: Transfer?
    ) {
        precondition(workers >= 0, "workers must not be negative, got \(workers)")
        precondition(prefetchFactor >= 1, "prefetchFactor must be at least 1, got \(prefetchFactor)")
        self.dataset = dataset
        self.batchSampler = batchSampler
        self.workers = workers
        self.prefetchFactor = prefetchFactor
        self.seed = seed
        self.skipBadSamples = skipBadSamples
        self.collate = collate
        self.transfer = transfer
    }

    /// A loader of batches of `batchSize` samples in `sampler`'s order (sequential by default, or
    /// shuffled each epoch with `shuffle`), collated by the samples' `Collatable` conformance.
    ///
    /// - Parameters:
    ///   - sampler: the order of samples; overrides `shuffle`.
    ///   - dropLast: drop the last batch when it is smaller than `batchSize`.
    ///   - The others: as in `init(_:batchSampler:workers:prefetchFactor:seed:skipBadSamples:collate:)`.
    public convenience init(
        _ dataset: Source, batchSize: Int = 1, shuffle: Bool = false, sampler: (any Sampler)? = nil,
        dropLast: Bool = false, workers: Int = 0, prefetchFactor: Int = 2, seed: UInt64 = 0,
        skipBadSamples: Bool = false
    ) where Source.Sample: Collatable, Batch == Source.Sample.Batch {
        let order: any Sampler =
            sampler ?? (shuffle ? RandomSampler(count: dataset.count, seed: seed) : SequentialSampler(count: dataset.count))
        self.init(
            dataset, batchSampler: Batching(order, batchSize: batchSize, dropLast: dropLast),
            workers: workers, prefetchFactor: prefetchFactor, seed: seed, skipBadSamples: skipBadSamples)
    }

    /// A loader of `batchSampler`'s batches (e.g. a `BucketBatchSampler`'s), collated by the
    /// samples' `Collatable` conformance; the other parameters as in
    /// `init(_:batchSampler:workers:prefetchFactor:seed:skipBadSamples:collate:)`.
    public convenience init(
        _ dataset: Source, batchSampler: any BatchSampler, workers: Int = 0, prefetchFactor: Int = 2,
        seed: UInt64 = 0, skipBadSamples: Bool = false
    ) where Source.Sample: Collatable, Batch == Source.Sample.Batch {
        self.init(
            dataset, batchSampler: batchSampler, workers: workers, prefetchFactor: prefetchFactor, seed: seed,
            skipBadSamples: skipBadSamples, collate: { try Source.Sample.collate($0) })
    }

    /// This loader, delivering its batches on `device`: batches are pinned in host memory on the
    /// workers (when `pinMemory` and `device` is CUDA, where pinning exists) and copied with
    /// `nonBlocking: true` when the consumer takes them. On the CPU it changes nothing.
    public func to(device: Device, pinMemory: Bool = true) -> DataLoader where Batch: DeviceTransferable {
        let transfer =
            device.kind == .cpu
            ? nil
            : Transfer(
                pin: pinMemory ? { $0.pinMemory() } : nil, copy: { $0.to(device: device, nonBlocking: true) })
        return DataLoader(
            dataset, batchSampler: batchSampler, workers: workers, prefetchFactor: prefetchFactor, seed: seed,
            skipBadSamples: skipBadSamples, collate: collate, transfer: transfer)
    }

    /// The number of batches of epoch `epoch`.
    public func batchCount(epoch: Int = 0) -> Int { batchSampler.batches(epoch: epoch).count }

    /// The epoch the next `makeEpoch()` (or `for try await` loop) runs; each advances it by one.
    public var epoch: Int {
        get { lock.withLock { nextEpoch } }
        set { lock.withLock { nextEpoch = newValue } }
    }

    /// Starts epoch `epoch`, or the next one (see `epoch`) when `nil`: workers begin reading at once.
    public func makeEpoch(_ epoch: Int? = nil) -> Epoch {
        let epoch = epoch ?? lock.withLock {
            defer { nextEpoch += 1 }
            return nextEpoch
        }
        return Epoch(
            Pipeline(
                dataset: dataset, batches: batchSampler.batches(epoch: epoch), epoch: epoch, seed: seed,
                skipBadSamples: skipBadSamples, window: Swift.max(1, workers * prefetchFactor), collate: collate,
                pin: transfer?.pin),
            workers: workers, copy: transfer?.copy)
    }

    /// One epoch's batches, delivered in order; dropping it stops its workers. One consumer reads
    /// it, from one thread at a time.
    public final class Epoch: @unchecked Sendable {
        private let pipeline: Pipeline
        private let threads: DispatchGroup?
        private let copy: ((Batch) -> Batch)?
        private let start = ContinuousClock.now
        private var position = 0
        private var finished = false
        /// What this epoch has delivered so far.
        public private(set) var statistics = LoaderStatistics()

        fileprivate init(_ pipeline: Pipeline, workers: Int, copy: ((Batch) -> Batch)?) {
            self.pipeline = pipeline
            self.copy = copy
            guard workers > 0 else {
                threads = nil
                return
            }
            let group = DispatchGroup()
            for _ in 0..<workers {
                group.enter()
                let thread = Thread {
                    pipeline.work()
                    group.leave()
                }
                thread.name = "MRIData.DataLoader worker"
                thread.start()
            }
            threads = group
        }

        deinit {
            pipeline.cancel()
            threads?.wait()
        }

        /// The next batch, or `nil` after the last one.
        /// - Throws: `DataLoaderError` for a sample that threw (unless skipped) or a batch that
        ///   could not be collated; the epoch ends there.
        public func next() throws -> Batch? {
            while !finished, position < pipeline.batches.count {
                let waitStart = ContinuousClock.now
                let outcome = threads == nil ? pipeline.produce(position) : pipeline.take(position)
                if threads != nil { statistics.waitingSeconds += seconds(ContinuousClock.now - waitStart) }
                position += 1
                statistics.skippedSamples += outcome.skipped
                switch outcome.result {
                case .failure(let error):
                    finish()
                    throw error
                case .success(nil):
                    continue
                case .success(let batch?):
                    let delivered = copy.map { $0(batch) } ?? batch
                    statistics.batches += 1
                    statistics.samples += outcome.samples
                    statistics.elapsedSeconds = seconds(ContinuousClock.now - start)
                    return delivered
                }
            }
            finish()
            return nil
        }

        private func finish() {
            finished = true
            pipeline.cancel()
        }
    }

    /// The state shared by an epoch's workers and its consumer.
    final class Pipeline: @unchecked Sendable {
        /// A built batch (`nil` when all its samples were skipped) or the error that ended it.
        struct Outcome {
            var result: Result<Batch?, any Error>
            var samples = 0
            var skipped = 0
        }

        let dataset: Source
        let batches: [[Int]]
        let epoch: Int
        let seed: UInt64
        let skipBadSamples: Bool
        let window: Int
        let collate: @Sendable ([Source.Sample]) throws -> Batch
        let pin: ((Batch) -> Batch)?
        /// The epoch position of each batch's first sample.
        let offsets: [Int]

        private let condition = NSCondition()
        private var claimed = 0
        private var taken = 0
        private var ready: [Int: Outcome] = [:]
        private var cancelled = false

        init(
            dataset: Source, batches: [[Int]], epoch: Int, seed: UInt64, skipBadSamples: Bool, window: Int,
            collate: @escaping @Sendable ([Source.Sample]) throws -> Batch, pin: ((Batch) -> Batch)?
        ) {
            self.dataset = dataset
            self.batches = batches
            self.epoch = epoch
            self.seed = seed
            self.skipBadSamples = skipBadSamples
            self.window = window
            self.collate = collate
            self.pin = pin
            offsets = batches.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        }

        /// A worker's loop: claim the next batch inside the window, build it, publish it.
        func work() {
            while let number = claim() {
                let outcome = produce(number)
                condition.withLock {
                    ready[number] = outcome
                    condition.broadcast()
                }
            }
        }

        private func claim() -> Int? {
            condition.withLock {
                while !cancelled, claimed < batches.count, claimed >= taken + window { condition.wait() }
                guard !cancelled, claimed < batches.count else { return nil }
                defer { claimed += 1 }
                return claimed
            }
        }

        /// Waits for batch `number` and removes it, letting a worker start another.
        func take(_ number: Int) -> Outcome {
            condition.withLock {
                while ready[number] == nil { condition.wait() }
                taken = number + 1
                condition.broadcast()
                return ready.removeValue(forKey: number)!
            }
        }

        func cancel() {
            condition.withLock {
                cancelled = true
                condition.broadcast()
            }
        }

        private var isCancelled: Bool { condition.withLock { cancelled } }

        /// Reads, collates and pins batch `number`.
        func produce(_ number: Int) -> Outcome {
            var samples: [Source.Sample] = []
            var skipped = 0
            for (slot, index) in batches[number].enumerated() {
                // A cancelled epoch's result is never read; stop at the next sample.
                if isCancelled { return Outcome(result: .success(nil)) }
                let position = offsets[number] + slot
                let generator = Generator(seed: sampleSeed(base: seed, epoch: epoch, position: position))
                do {
                    samples.append(try dataset.sample(at: index, generator: generator))
                } catch {
                    let failure = DataLoaderError.sample(index: index, position: position, error: error)
                    guard skipBadSamples else { return Outcome(result: .failure(failure), skipped: skipped) }
                    FileHandle.standardError.write(Data("warning: skipping \(failure)\n".utf8))
                    skipped += 1
                }
            }
            guard !samples.isEmpty else { return Outcome(result: .success(nil), skipped: skipped) }
            let result = Result<Batch?, any Error> {
                let batch = try collate(samples)
                return pin.map { $0(batch) } ?? batch
            }
            return Outcome(result: result, samples: samples.count, skipped: skipped)
        }
    }
}

/// A `Duration` in seconds.
private func seconds(_ duration: Duration) -> Double {
    let (whole, attoseconds) = duration.components
    return Double(whole) + Double(attoseconds) * 1e-18
}

extension DataLoader: AsyncSequence {
    public typealias Element = Batch

    /// Runs the next epoch (see `epoch`); the consumer's waits happen on a Dispatch thread, never
    /// on the cooperative pool.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(epoch: makeEpoch()) }

    /// The batches of one epoch, for `for try await`.
    public struct AsyncIterator: AsyncIteratorProtocol {
        /// The epoch iterated.
        public let epoch: Epoch

        public mutating func next() async throws -> Batch? {
            let epoch = epoch
            let box = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<BatchBox, any Error>) in
                DispatchQueue.global().async {
                    continuation.resume(with: Result { BatchBox(batch: try epoch.next()) })
                }
            }
            return box.batch
        }
    }

    /// Carries a batch from the Dispatch thread that waited for it; the epoch hands each batch
    /// to one consumer only.
    struct BatchBox: @unchecked Sendable {
        let batch: Batch?
    }
}
