import Foundation

/// A fastMRI reconstruction target dataset.
public enum FastMRIReconstruction: String, Sendable, CaseIterable {
    /// `reconstruction_rss`: the root-sum-of-squares image of fully sampled multi-coil k-space
    /// (multi-coil files and single-coil files, which are emulated from multi-coil data).
    case rss = "reconstruction_rss"
    /// `reconstruction_esc`: the emulated single-coil image (single-coil files).
    case esc = "reconstruction_esc"
}

/// What a fastMRI file holds, checked and read once without reading any k-space: the
/// header geometry, the attributes and the datasets' shapes (fastMRI's per-volume metadata).
public struct FastMRIMetadata: Sendable, Equatable {
    /// The geometry from `ismrmrd_header` (encoding size, recon size, padding).
    public var header: FastMRIHeader
    /// The root attributes.
    public var attributes: FastMRIAttributes
    /// The shape of `kspace`: `[slices, H, W]` single-coil or `[slices, coils, H, W]` multi-coil.
    public var kspaceShape: [Int]
    /// The reconstruction targets the file has (none in test and challenge files).
    public var reconstructions: Set<FastMRIReconstruction>
    /// Whether the file has a `mask` of k-space columns (test and challenge files).
    public var hasMask: Bool

    /// The number of slices.
    public var sliceCount: Int { kspaceShape[0] }
    /// Whether k-space has a coil dimension.
    public var isMultiCoil: Bool { kspaceShape.count == 4 }

    /// Reads and checks the metadata of `file`: `kspace` must be complex64 of rank 3 or 4;
    /// targets float32 or float64 `[slices, h, w]` with `max` present; `mask` one value per
    /// k-space column; `ismrmrd_header` well-formed with the elements fastMRI reads.
    public init(reading file: HDF5File) throws {
        let kspace = try file.info("kspace")
        guard kspace.elementType == .tensor(.complex64) else {
            throw DataError(file: file.path, field: "kspace", "holds \(kspace.elementType), not complex64")
        }
        guard kspace.shape.count == 3 || kspace.shape.count == 4 else {
            throw DataError(
                file: file.path, field: "kspace",
                "has shape \(kspace.shape), not [slices, H, W] or [slices, coils, H, W]")
        }
        kspaceShape = kspace.shape
        header = try FastMRIHeader(parsing: Data(try file.readString("ismrmrd_header").utf8), file: file.path)
        attributes = try FastMRIAttributes(reading: file)
        reconstructions = []
        for reconstruction in FastMRIReconstruction.allCases where file.contains(reconstruction.rawValue) {
            let info = try file.info(reconstruction.rawValue)
            guard info.elementType == .tensor(.float32) || info.elementType == .tensor(.float64) else {
                throw DataError(
                    file: file.path, field: info.name, "holds \(info.elementType), not float32")
            }
            guard info.shape.count == 3, info.shape[0] == kspace.shape[0] else {
                throw DataError(
                    file: file.path, field: info.name,
                    "has shape \(info.shape), not [\(kspace.shape[0]) slices, h, w] as kspace")
            }
            reconstructions.insert(reconstruction)
        }
        if !reconstructions.isEmpty, attributes.max == nil {
            throw DataError(file: file.path, field: "max", "is missing (the file has a reconstruction target)")
        }
        hasMask = file.contains("mask")
        if hasMask {
            let info = try file.info("mask")
            guard case .tensor(let dtype) = info.elementType, !dtype.isComplex else {
                throw DataError(file: file.path, field: "mask", "holds \(info.elementType), not bool or numbers")
            }
            guard info.shape == [kspace.shape.last ?? 0] else {
                throw DataError(
                    file: file.path, field: "mask", "has shape \(info.shape), not [\(kspace.shape.last ?? 0)] columns")
            }
        }
    }
}
