/// A seed for a mask function: an integer, or a sequence as fastMRI derives from a file name.
public enum MaskSeed: Sendable, Equatable {
    /// `np.random.RandomState(value)`.
    case integer(UInt32)
    /// `np.random.RandomState(key)` (`init_by_array`).
    case sequence([UInt32])

    /// fastMRI's per-volume seed `tuple(map(ord, fname))`.
    public static func fileName(_ name: String) -> MaskSeed {
        .sequence(name.unicodeScalars.map { $0.value })
    }

    var randomState: NumpyRandomState {
        get throws {
            switch self {
            case .integer(let value): return NumpyRandomState(seed: value)
            case .sequence(let key): return try NumpyRandomState(key: key)
            }
        }
    }
}

/// A sampled k-space mask and its fully sampled centre.
public struct SampledMask {
    /// The mask, `1` where a line is acquired.
    public let mask: Tensor
    /// The number of fully sampled low-frequency lines (fastMRI's `num_low_frequencies`).
    public let numLowFrequencies: Int
}

/// Draws k-space sampling masks, as fastMRI's `MaskFunc` objects do.
public protocol MaskFunction {
    /// A mask for k-space of `shape`.
    ///
    /// - Parameters:
    ///   - shape: the shape of the (native complex) k-space to subsample, at least 2 dims,
    ///     e.g. `[batch, coils, H, W]`. Lines are chosen along the last dimension (`W`).
    ///   - offset: the first sampled line of equispaced masks; random when `nil`.
    ///   - seed: when given, draws from this seed and leaves the function's own stream untouched.
    /// - Returns: a float32 mask of shape `[1, …, 1, W]` (same rank as `shape`).
    mutating func callAsFunction(_ shape: [Int], offset: Int?, seed: MaskSeed?) throws -> SampledMask
}

extension MaskFunction {
    /// A mask with a random offset (fastMRI's `mask_func(shape, seed=seed)`).
    ///
    /// - Parameters:
    ///   - shape: the k-space shape, lines along the last dimension (see the requirement).
    ///   - seed: the seed of this call; `nil` draws from the function's own stream.
    public mutating func callAsFunction(_ shape: [Int], seed: MaskSeed? = nil) throws -> SampledMask {
        try self(shape, offset: nil, seed: seed)
    }
}
