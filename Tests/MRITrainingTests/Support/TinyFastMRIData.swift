import Foundation

@testable import MRITraining

/// A tiny simulated fastMRI dataset (phantom slabs, 4 coils, 32×32) in a temporary folder:
/// `train/` with two volumes of three slices, `val/` with one of two; removed when released.
final class TinyFastMRIData {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mrikit-fastmri-\(UUID().uuidString)")

    init() throws {
        let phantom = try Phantoms.sheppLogan3D([12, 32, 32])
        let simulation = FastMRISimulation(coils: 4, snr: 50)
        for (split, range, index) in [("train", 2..<5, 0), ("train", 5..<8, 1), ("val", 8..<10, 2)] {
            let folder = root.appendingPathComponent(split)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try simulation.write(volume: phantom[range].contiguous(), to: folder.appendingPathComponent("file\(index).h5").path,
                                 patientID: "p\(index)", seed: UInt64(index))
        }
    }

    /// A recipe's `data` section on these folders, with a 2× mask whose 25% centre GRAPPA can calibrate on.
    var dataSection: String {
        """
        data:
          train: \(root.appendingPathComponent("train").path)
          val: \(root.appendingPathComponent("val").path)
          challenge: multicoil
          mask: {type: equispaced_fraction, center_fractions: [0.25], accelerations: [2]}
          workers: 2
        """
    }

    /// Writes single-coil files of the same phantom slabs into `singlecoil_train/` and
    /// `singlecoil_val/`: k-space the centred FFT of the slab, `reconstruction_esc` its magnitude.
    func writeSingleCoil() throws {
        let phantom = try Phantoms.sheppLogan3D([12, 32, 32])
        for (split, range, index) in [("train", 2..<5, 0), ("val", 8..<10, 2)] {
            let folder = root.appendingPathComponent("singlecoil_\(split)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let image = phantom[range].contiguous().to(dtype: .complex64)
            let target = image.abs()
            try FastMRIFile.write(
                to: folder.appendingPathComponent("single\(index).h5").path, kspace: CenteredFFT.forward(image),
                header: FastMRIHeader(encodingSize: [32, 32, 1], reconSize: [32, 32, 1], encodingCenter: 16, encodingMaximum: 31),
                attributes: FastMRIAttributes(acquisition: "CORPD_FBK", max: Double(target.max().item(Float.self))),
                reconstructions: [.esc: target])
        }
    }

    /// A path in the temporary folder.
    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: root) }
}
