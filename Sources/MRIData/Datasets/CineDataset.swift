import Foundation

/// Seed 001's cardiac cine data set: `cine.npz`, one array of fully sampled complex sequences
/// `[nsamples, nt, nx, ny]`, undersampled on the fly with a new Cartesian pattern in every frame
/// (``CineMask``, the seed's `cartesian_mask(shape=(1, nt, nx, ny), acc, sample_n, centred=True)`).
///
/// Each sample is one sequence (one subject), so splits are at sample level: the seed's 4:1:2
/// train/validation/test split (114, 29 and 57 of 200) is `split(ratios: [4, 1, 2], seed:)`.
/// The whole array is read when the dataset is made, as the seed's `np.load` does.
public struct CineDataset: GroupedDataset {
    /// The fully sampled sequences, complex64 `[nsamples, nt, nx, ny]`.
    public let sequences: Tensor
    /// The file read.
    public let path: String
    /// The undersampling factor of the masks.
    public let acceleration: Double
    /// Fully sampled centre lines per frame.
    public let sampleN: Int

    /// The sequences of array `key` of the `.npz` file at `path`.
    ///
    /// - Parameters:
    ///   - key: the array's name in the archive.
    ///   - acceleration: the masks' undersampling factor (the seed: 6).
    ///   - sampleN: fully sampled centre lines (the seed: 10).
    /// - Throws: `DataError` naming the file and the array when it is missing, is not 4-D, or is
    ///   not numeric; real arrays are read as complex with a zero imaginary part.
    public init(path: String, key: String = "dataset", acceleration: Double = 6, sampleN: Int = 10) throws {
        let arrays = try NumPyFile.readArrays(from: URL(fileURLWithPath: path))
        guard let array = arrays[key] else {
            throw DataError(file: path, field: key, "no such array (the archive holds \(arrays.keys.sorted()))")
        }
        guard array.rank == 4, array.shape.allSatisfy({ $0 > 0 }) else {
            throw DataError(file: path, field: key, "has shape \(array.shape), not [nsamples, nt, nx, ny]")
        }
        guard array.dtype.isComplex || array.dtype.isFloatingPoint else {
            throw DataError(file: path, field: key, "holds \(array.dtype), not complex or real numbers")
        }
        self.sequences = array.to(dtype: .complex64)
        self.path = path
        self.acceleration = acceleration
        self.sampleN = sampleN
    }

    public var count: Int { sequences.shape[0] }

    /// Each sequence is its own group.
    public var groupKeys: [String] { (0..<count).map(String.init) }

    /// Sequence `index` undersampled with the masks of `np.random.seed(index)`: the same masks on
    /// every call, for validation and test.
    public func sample(at index: Int) throws -> CineSample {
        try sample(at: index, maskSeed: UInt32(truncatingIfNeeded: index))
    }

    /// Sequence `index` undersampled with masks seeded by a number drawn from `generator`: new
    /// masks per draw, for training.
    public func sample(at index: Int, generator: Generator) throws -> CineSample {
        let seed = Tensor.randint(high: 1 << 32, shape: [1], generator: generator).item(Int.self)
        return try sample(at: index, maskSeed: UInt32(seed))
    }

    /// Sequence `index` undersampled with the masks of `np.random.seed(maskSeed)`.
    ///
    /// The k-space is the centred orthonormal FFT of each frame (``CenteredFFT``); the aliased
    /// image is the inverse FFT of the masked k-space, as the seed's `undersample`.
    /// - Throws: `DataError` naming the file when the masks cannot be drawn for its frame size.
    public func sample(at index: Int, maskSeed: UInt32) throws -> CineSample {
        let target = sequences[index]
        var random = NumpyRandomState(seed: maskSeed)
        let mask: Tensor
        do {
            mask = try CineMask.cartesian(
                shape: target.shape, acceleration: acceleration, sampleN: sampleN, centred: true, random: &random)
        } catch {
            throw DataError(file: path, field: "mask", "\(error)")
        }
        let kspace = CenteredFFT.forward(target) * mask
        return CineSample(image: CenteredFFT.inverse(kspace), target: target, kspace: kspace, mask: mask)
    }
}

/// One undersampled cine sequence, laid out as ``CineUNetResNet`` consumes it: the frames as
/// channels, complex (the network splits the real and imaginary parts itself).
public struct CineSample: Sendable, Collatable {
    /// The aliased zero-filled frames, complex64 `[nt, nx, ny]`.
    public var image: Tensor
    /// The fully sampled frames, complex64 `[nt, nx, ny]`.
    public var target: Tensor
    /// The undersampled centred k-space, complex64 `[nt, nx, ny]`.
    public var kspace: Tensor
    /// The sampling pattern, float32 `[nt, nx, ny]` (1 where sampled; lines along `nx`).
    public var mask: Tensor

    /// A sample of these fields.
    public init(image: Tensor, target: Tensor, kspace: Tensor, mask: Tensor) {
        self.image = image
        self.target = target
        self.kspace = kspace
        self.mask = mask
    }

    /// Each field stacked along a new batch dimension (`[N, nt, nx, ny]`).
    public static func collate(_ samples: [CineSample]) throws -> CineSample {
        try CineSample(
            image: .collate(samples.map(\.image)), target: .collate(samples.map(\.target)),
            kspace: .collate(samples.map(\.kspace)), mask: .collate(samples.map(\.mask)))
    }
}
