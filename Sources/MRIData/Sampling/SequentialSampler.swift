/// Every index once, in order (PyTorch's `SequentialSampler`).
public struct SequentialSampler: Sampler {
    /// The dataset's size.
    public let count: Int

    /// `0..<count`, every epoch.
    public init(count: Int) { self.count = count }

    public func indices(epoch: Int) -> [Int] { Array(0..<count) }
}
