/// One slice of a fastMRI volume, as fastMRI's `SliceDataset` yields it, typed.
public struct FastMRISample: Sendable {
    /// The slice's k-space: `[H, W]` single-coil or `[coils, H, W]` multi-coil, complex64.
    public var kspace: Tensor
    /// The k-space column mask of test and challenge files, `[W]` bool; `nil` for training and
    /// validation files.
    public var mask: Tensor?
    /// The reconstruction target, `[h, w]` float32 (`reconstruction_esc` single-coil,
    /// `reconstruction_rss` multi-coil); `nil` for test files.
    public var target: Tensor?
    /// The file's attributes.
    public var attributes: FastMRIAttributes
    /// The file's header geometry (padding, encoding and recon sizes).
    public var header: FastMRIHeader
    /// The file's name (no folder), from which fastMRI seeds the slice's mask.
    public var fileName: String
    /// The slice's index in its volume.
    public var sliceIndex: Int
    /// The target's data range for PSNR and SSIM: the `max` attribute when there is a target,
    /// else 0, as in fastMRI's transforms.
    public var maxValue: Double
    /// The image size to crop to, `[x, y]` of the header's recon size (fastMRI's `crop_size`).
    public var cropSize: [Int]

    /// fastMRI's per-volume mask seed, `tuple(map(ord, fname))`, so every slice of a volume
    /// gets the same mask and every epoch the same masks.
    public var maskSeed: MaskSeed { .fileName(fileName) }
}
