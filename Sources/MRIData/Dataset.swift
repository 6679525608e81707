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
}
