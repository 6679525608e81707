/// One slice of raw k-space with what fastMRI's transforms read next to it: the fields of a
/// fastMRI HDF5 file (`kspace`, `mask`, `reconstruction_*`, the `max`, `padding_left`,
/// `padding_right` and `recon_size` attributes), whatever file format it came from.
public struct KSpaceSlice: Sendable {
    /// Native complex k-space: multi-coil `[coils, H, W]` or single-coil `[H, W]`; lines along `W`.
    public var kspace: Tensor
    /// The file's sampling mask `[W]` (test sets), used when no mask function undersamples.
    public var mask: Tensor?
    /// The reference image `[h, w]` (`reconstruction_rss` or `reconstruction_esc`), if any.
    public var target: Tensor?
    /// The volume's maximum image value (attribute `max`).
    public var maxValue: Double?
    /// The first acquired column (attribute `padding_left`).
    public var paddingLeft: Int
    /// One past the last acquired column (attribute `padding_right`).
    public var paddingRight: Int
    /// The reconstruction size `[h, w]` (attribute `recon_size`, first two entries).
    public var reconSize: [Int]
    /// The file's name (its last path component), which seeds the volume's mask.
    public var fileName: String
    /// The slice's index in its volume.
    public var sliceNumber: Int

    /// A slice; `paddingLeft`/`paddingRight` default to the whole width.
    public init(
        kspace: Tensor, mask: Tensor? = nil, target: Tensor? = nil, maxValue: Double? = nil,
        paddingLeft: Int = 0, paddingRight: Int? = nil, reconSize: [Int], fileName: String, sliceNumber: Int
    ) {
        self.kspace = kspace
        self.mask = mask
        self.target = target
        self.maxValue = maxValue
        self.paddingLeft = paddingLeft
        self.paddingRight = paddingRight ?? kspace.shape.last ?? 0
        self.reconSize = reconSize
        self.fileName = fileName
        self.sliceNumber = sliceNumber
    }
}
