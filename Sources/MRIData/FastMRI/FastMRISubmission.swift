import Foundation

/// fastMRI leaderboard submissions: one HDF5 file per volume, named as the input file, holding a
/// `reconstruction` dataset (`[slices, h, w]` float32), as fastMRI's `save_reconstructions` writes them.
public enum FastMRISubmission {
    /// The dataset name submissions use.
    public static let dataset = "reconstruction"

    /// Writes each `[slices, h, w]` reconstruction to `directory/<file name>` (creating the
    /// directory), each file atomically.
    public static func save(_ reconstructions: [String: Tensor], to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DataError(file: directory, "cannot be created: \(error.localizedDescription)")
        }
        for (name, reconstruction) in reconstructions.sorted(by: { $0.key < $1.key }) {
            precondition(
                reconstruction.rank == 3, "FastMRISubmission.save: \(name) must be [slices, h, w], not \(reconstruction.shape)")
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            try HDF5File.create(at: path) { try $0.write(dataset, reconstruction.to(dtype: .float32)) }
        }
    }

    /// The `reconstruction` of the submission file at `path`, `[slices, h, w]` float32.
    public static func reconstruction(at path: String) throws -> Tensor {
        let file = try HDF5File(reading: path)
        let info = try file.info(dataset)
        guard info.shape.count == 3 else {
            throw DataError(file: path, field: dataset, "has shape \(info.shape), not [slices, h, w]")
        }
        guard info.elementType == .tensor(.float32) || info.elementType == .tensor(.float64) else {
            throw DataError(file: path, field: dataset, "holds \(info.elementType), not float32")
        }
        return try file.read(dataset).to(dtype: .float32)
    }
}
