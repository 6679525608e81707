import Foundation
import MRIData

/// The data benchmarks, against fastMRI's `SliceDataset` on h5py (`bench/data_peer.py`):
///
/// - `fastmri_slices`: every slice of a multi-coil folder read as a sample (k-space slice, rss
///   target, attributes, header geometry), seconds per slice. The folder holds `volumes` knee-sized
///   files, `[slices, 15, 640, 368]` complex64 k-space and `[slices, 320, 320]` targets, written
///   by MRIKit into `dataDirectory` so both sides read the same bytes (from the page cache).
func dataWorkloads(dataDirectory: URL, python: String, volumes: Int = 2, slices: Int = 3) throws -> [Workload] {
    let folder = dataDirectory.appendingPathComponent("fastmri_multicoil")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let generator = Generator(seed: 0)
    let header = FastMRIHeader(
        encodingSize: [640, 368, 1], reconSize: [320, 320, 1], encodingCenter: 183,
        encodingMaximum: 365)
    for volume in 0..<volumes {
        let kspace = Tensor.randn([slices, 15, 640, 368], dtype: .complex64, generator: generator)
        let target = Tensor.rand([slices, 320, 320], generator: generator)
        let attributes = FastMRIAttributes(
            acquisition: "CORPD_FBK", max: target.max().item(Double.self), norm: 1, patientID: "bench\(volume)")
        try FastMRIFile.write(
            to: folder.appendingPathComponent("file\(1_000_000 + volume).h5").path, kspace: kspace, header: header,
            attributes: attributes, reconstructions: [.rss: target])
    }
    let dataset = try FastMRISliceDataset(root: folder.path, challenge: .multiCoil)
    return [
        Workload(
            name: "fastmri_slices", label: "fastMRI slice read (ms/slice)", unit: 1e3,
            peer: PythonPeer(python: python, script: "bench/data_peer.py"), peerArguments: ["--data", folder.path],
            swift: {
                let seconds = measure {
                    for index in 0..<dataset.count {
                        guard (try? dataset.sample(at: index)) != nil else {
                            fatalError("fastmri_slices benchmark: MRIKit rejected the file it wrote")
                        }
                    }
                }
                return seconds / Double(dataset.count)
            })
    ]
}
