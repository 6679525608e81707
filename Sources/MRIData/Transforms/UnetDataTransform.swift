/// A zero-filled, normalised image for U-Net reconstruction (fastMRI's `UnetSample`).
public struct UnetSample: Sendable {
    /// The normalised zero-filled magnitude image `[h, w]`, clamped to ±6.
    public var image: Tensor
    /// The target normalised with the image's statistics, clamped to ±6 `[h, w]` (a `[1]` zero without one).
    public var target: Tensor
    /// The image's mean before normalisation (0-d).
    public var mean: Tensor
    /// The image's standard deviation before normalisation (0-d).
    public var std: Tensor
    /// The file name.
    public var fileName: String
    /// The slice's index in its volume.
    public var sliceNumber: Int
    /// The volume's maximum image value (0 when absent).
    public var maxValue: Double
}

/// fastMRI's `UnetDataTransform`: undersample, inverse FFT, crop, magnitude (root sum of squares
/// over coils for multi-coil data), instance normalisation, clamp to ±6.
public struct UnetDataTransform: Sendable {
    /// fastMRI's challenges.
    public enum Challenge: String, Sendable {
        /// K-space `[H, W]`.
        case singlecoil
        /// K-space `[coils, H, W]`.
        case multicoil
    }

    /// The challenge, which decides whether coils are combined.
    public let challenge: Challenge
    /// The on-the-fly undersampling; `nil` keeps the k-space as read.
    public let undersampling: Undersampling?

    /// A transform for `challenge`, undersampling with `undersampling` when given.
    public init(challenge: Challenge, undersampling: Undersampling? = nil) {
        self.challenge = challenge
        self.undersampling = undersampling
    }

    /// The U-Net sample of `slice`, drawing any mask seed from `generator`.
    /// - Throws: `DataError` naming the file when the k-space's rank does not fit the challenge or
    ///   the crop does not fit the image.
    public func callAsFunction(_ slice: KSpaceSlice, generator: Generator) throws -> UnetSample {
        let rank = challenge == .multicoil ? 3 : 2
        guard slice.kspace.rank == rank else {
            throw DataError(file: slice.fileName, field: "kspace", "\(challenge) needs rank \(rank), got \(slice.kspace.shape)")
        }
        let kspace = try undersampling?(slice.kspace, fileName: slice.fileName, generator: generator).maskedKSpace ?? slice.kspace
        let zeroFilled = CenteredFFT.inverse(kspace)
        var cropSize = slice.target.map { Array($0.shape.suffix(2)) } ?? Array(slice.reconSize.prefix(2))
        let width = zeroFilled.shape[zeroFilled.rank - 1]
        // fastMRI's guard for the FLAIR 203 volumes, whose images are narrower than recon_size
        // (its `image.shape[-2]` is the width in its real-view layout).
        if width < cropSize[1] { cropSize = [width, width] }
        let cropped = try withDataErrors(slice.fileName, "recon_size") { try centerCrop(zeroFilled, shape: cropSize) }
        var image = cropped.abs()
        if challenge == .multicoil { image = CoilCombination.rootSumOfSquares(image, dim: 0) }
        let (mean, std) = (image.mean(), image.std())
        let normalised = normalize(image, mean: mean, std: std)
        let target = try slice.target.map { target in
            normalize(try withDataErrors(slice.fileName, "target") { try centerCrop(target, shape: cropSize) }, mean: mean, std: std)
        }
        return UnetSample(
            image: normalised, target: target ?? Tensor([Float(0)]), mean: mean, std: std, fileName: slice.fileName,
            sliceNumber: slice.sliceNumber, maxValue: slice.maxValue ?? 0)
    }

    /// fastMRI's `normalize(x, mean, std, eps=1e-11)` then `clamp(-6, 6)`.
    private func normalize(_ data: Tensor, mean: Tensor, std: Tensor) -> Tensor {
        ((data - mean) / (std + 1e-11)).clamp(min: -6.0, max: 6.0)
    }
}

/// Runs `body`, reporting an `MRIError` as a `DataError` about `field` of `file`.
func withDataErrors<Result>(_ file: String, _ field: String, _ body: () throws -> Result) throws -> Result {
    do { return try body() } catch let error as MRIError { throw DataError(file: file, field: field, "\(error)") }
}
