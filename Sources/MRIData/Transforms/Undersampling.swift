/// Undersamples k-space on the fly with one of the MRI target's mask functions (fastMRI's
/// `apply_mask`, as its data transforms call it).
///
/// The mask function's own stream is never used: each call passes a seed, either the file name
/// (fastMRI's `use_seed=True`, `tuple(map(ord, fname))`: every slice of a volume, every epoch, gets
/// the same mask) or a number drawn from the loader's generator (a new mask per draw, still
/// reproducible from the loader's seed).
public struct Undersampling: @unchecked Sendable {
    // @unchecked: the mask function is copied before each (seeded) call, so threads never share it.
    private let maskFunction: any MaskFunction
    /// Where each mask's seed comes from.
    public let seeding: Seeding

    /// Where a mask's seed comes from.
    public enum Seeding: Sendable {
        /// The file name: one mask per volume (fastMRI's `use_seed=True`).
        case fileName
        /// A number drawn from the loader's generator: a new mask per draw.
        case generator
    }

    /// Masks from `maskFunction`, seeded as `seeding` says.
    public init(_ maskFunction: any MaskFunction, seeding: Seeding = .fileName) {
        self.maskFunction = maskFunction
        self.seeding = seeding
    }

    /// Masks `kspace` and zeroes the mask outside the acquired columns.
    ///
    /// - Parameters:
    ///   - kspace: native complex `[…, H, W]`, lines along `W`.
    ///   - acquired: the acquired columns (`padding_left ..< padding_right`); the mask is zero elsewhere.
    ///   - fileName: the seed under `.fileName`.
    ///   - generator: the source of the seed under `.generator`.
    /// - Returns: the masked k-space (`kspace · mask + 0`, the `+ 0` clearing negative zeros, as
    ///   fastMRI), the float32 mask `[1, …, 1, W]` (rank of `kspace`) and the number of fully
    ///   sampled centre lines.
    /// - Throws: `MRIError` from the mask function (e.g. a width it cannot sample).
    public func callAsFunction(
        _ kspace: Tensor, acquired: Range<Int>? = nil, fileName: String, generator: Generator
    ) throws -> (maskedKSpace: Tensor, mask: Tensor, numLowFrequencies: Int) {
        let seed: MaskSeed
        switch seeding {
        case .fileName: seed = .fileName(fileName)
        case .generator:
            seed = .integer(UInt32(Tensor.randint(high: 1 << 32, shape: [1], generator: generator).item(Int.self)))
        }
        var function = maskFunction
        let shape = Array(repeating: 1, count: kspace.rank - 2) + kspace.shape.suffix(2)
        let sampled = try function(shape, seed: seed)
        let mask = acquired.map { sampled.mask * columnWindow($0, width: kspace.shape[kspace.rank - 1]) } ?? sampled.mask
        return (kspace * mask + 0.0, mask, sampled.numLowFrequencies)
    }
}

/// `[W]` float32: one inside `acquired`, zero outside (fastMRI's `mask[..., :left] = 0; mask[..., right:] = 0`).
func columnWindow(_ acquired: Range<Int>, width: Int) -> Tensor {
    Tensor((0..<width).map { acquired.contains($0) ? Float(1) : 0 }, shape: [width])
}
