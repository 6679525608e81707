/// Every index once, in an order shuffled anew each epoch (PyTorch's `RandomSampler`).
///
/// Epoch `e` is `torch.randperm(count, generator=torch.Generator().manual_seed(seed + e))`, the
/// order PyTorch's `DistributedSampler` uses, so it can be reproduced in Python.
public struct RandomSampler: Sampler {
    /// The dataset's size.
    public let count: Int
    /// The seed of epoch 0; epoch `e` uses `seed + e`.
    public let seed: UInt64

    /// A shuffling of `0..<count`, different each epoch, fixed by `seed`.
    public init(count: Int, seed: UInt64 = 0) {
        self.count = count
        self.seed = seed
    }

    public func indices(epoch: Int) -> [Int] { permutation(count, seed: seed &+ UInt64(truncatingIfNeeded: epoch)) }
}

/// `torch.randperm(count)` from a generator seeded `seed`.
func permutation(_ count: Int, seed: UInt64) -> [Int] {
    Tensor.randperm(count, generator: Generator(seed: seed)).toArray(of: Int.self)
}
