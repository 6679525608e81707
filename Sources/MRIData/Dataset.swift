/// A random-access collection of typed samples, read by a `DataLoader` from worker threads.
///
/// Datasets return typed samples (as fastMRI's `VarNetSample`), never dictionaries. Reading a
/// sample must not depend on which thread calls it or on the order of calls: randomness comes
/// from the generator a transform is given, so loading is reproducible from a seed.
public protocol Dataset<Sample>: Sendable {
    /// One sample's type.
    associatedtype Sample
    /// The number of samples.
    var count: Int { get }
    /// Reads sample `index` (`0..<count`); throws `DataError` naming the file and field when the
    /// file behind it is bad.
    func sample(at index: Int) throws -> Sample
    /// Reads sample `index`, drawing any randomness (augmentation, masks) from `generator`.
    ///
    /// A `DataLoader` seeds `generator` from its base seed, the epoch and the sample's position in
    /// the epoch, so the same seed gives the same samples whatever the number of workers. The
    /// default reads `sample(at:)`.
    func sample(at index: Int, generator: Generator) throws -> Sample
}

extension Dataset {
    public func sample(at index: Int, generator: Generator) throws -> Sample { try sample(at: index) }

    /// This dataset with `transform` applied to each sample, drawing its randomness from the
    /// generator the loader gives (MONAI's `Dataset(data, transform)`).
    public func map<Output>(
        _ transform: @escaping @Sendable (Sample, Generator) throws -> Output
    ) -> TransformedDataset<Self, Output> {
        TransformedDataset(base: self, transform: transform)
    }
}

/// A dataset whose samples are another dataset's, transformed (made by `Dataset.map`).
public struct TransformedDataset<Base: Dataset, Sample>: Dataset {
    /// The dataset read.
    public let base: Base
    /// The transform applied to each of `base`'s samples.
    public let transform: @Sendable (Base.Sample, Generator) throws -> Sample

    public var count: Int { base.count }

    /// Reads `index` with a generator seeded 0, as `sample(at:generator:)` with no loader would.
    public func sample(at index: Int) throws -> Sample {
        try sample(at: index, generator: Generator(seed: 0))
    }

    public func sample(at index: Int, generator: Generator) throws -> Sample {
        try transform(base.sample(at: index, generator: generator), generator)
    }
}

/// A dataset made of an array of samples, for tests, small data and in-memory caches.
public struct ArrayDataset<Sample: Sendable>: Dataset {
    /// The samples.
    public let samples: [Sample]

    /// A dataset of `samples`, in order.
    public init(_ samples: [Sample]) { self.samples = samples }

    public var count: Int { samples.count }

    public func sample(at index: Int) throws -> Sample { samples[index] }
}
