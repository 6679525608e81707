/// A fastMRI HDF5 file, read as the fastMRI dataset lays it out: `kspace` (complex64,
/// `[slices, H, W]` single-coil or `[slices, coils, H, W]` multi-coil), the targets
/// `reconstruction_rss` / `reconstruction_esc` (`[slices, h, w]`), the test split's `mask`,
/// the root attributes and the `ismrmrd_header` geometry.
///
/// Opening reads and checks the metadata only; slice reads read one slice from the file, never
/// the volume. Every defect (missing dataset or attribute, wrong dtype or shape, NaN values,
/// malformed header) throws `DataError` naming the file and the field.
public final class FastMRIFile: @unchecked Sendable {
    /// The file's path.
    public var path: String { file.path }
    /// The file's checked metadata.
    public let metadata: FastMRIMetadata
    let file: HDF5File

    /// Opens the fastMRI file at `path` and checks its metadata.
    public convenience init(reading path: String) throws {
        let file = try HDF5File(reading: path)
        self.init(file: file, metadata: try FastMRIMetadata(reading: file))
    }

    /// A file whose metadata was already read (a dataset reopening a file per sample).
    init(file: HDF5File, metadata: FastMRIMetadata) {
        self.file = file
        self.metadata = metadata
    }

    /// All of k-space, `[slices, H, W]` or `[slices, coils, H, W]` complex64.
    public func kspace() throws -> Tensor {
        try checkedFinite(try file.read("kspace"), "kspace")
    }

    /// Slice `slice` of k-space, `[H, W]` or `[coils, H, W]` complex64.
    public func kspace(slice: Int) throws -> Tensor {
        try checkedFinite(try file.read("kspace", index: slice), "kspace", slice: slice)
    }

    /// All of target `reconstruction`, `[slices, h, w]` float32.
    public func reconstruction(_ reconstruction: FastMRIReconstruction) throws -> Tensor {
        let volume = try file.read(reconstruction.rawValue).to(dtype: .float32)
        return try checkedFinite(volume, reconstruction.rawValue)
    }

    /// Slice `slice` of target `reconstruction`, `[h, w]` float32.
    public func reconstruction(_ reconstruction: FastMRIReconstruction, slice: Int) throws -> Tensor {
        let image = try file.read(reconstruction.rawValue, index: slice).to(dtype: .float32)
        return try checkedFinite(image, reconstruction.rawValue, slice: slice)
    }

    /// The k-space column mask of test files, `[W]` bool, or `nil` when the file has none.
    public func mask() throws -> Tensor? {
        guard metadata.hasMask else { return nil }
        let mask = try file.read("mask")
        return mask.dtype == .bool ? mask : mask.ne(0)
    }

    /// `tensor` when it holds no NaN, else an error naming `field` (and the slice).
    private func checkedFinite(_ tensor: Tensor, _ field: String, slice: Int? = nil) throws -> Tensor {
        guard tensor.isnan().any().item(Bool.self) else { return tensor }
        let place = slice.map { "slice \($0)" } ?? "the volume"
        throw DataError(file: path, field: field, "\(place) holds NaN values")
    }
}
