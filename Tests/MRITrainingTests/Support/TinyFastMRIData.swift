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

    /// A path in the temporary folder.
    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: root) }
}
