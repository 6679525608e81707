import Foundation
import MRIData

/// The NIfTI read benchmarks: a BraTS-sized int16 volume (240×240×155, scaled by
/// `scl_slope`/`scl_inter`) read into float32 `[x, y, z]`, uncompressed (`nifti`) and gzipped
/// (`niftigz`), against nibabel's `load(path).get_fdata(dtype=float32)` in `bench/nifti_peer.py`.
///
/// MRIKit writes both files into `dataDirectory`; both sides read the same files.
func niftiReadWorkloads(dataDirectory: URL, python: String) throws -> [Workload] {
    try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
    var image = NIfTIImage(data: niftiBenchmarkVolume(), affine: Tensor.eye(4, dtype: .float64))
    image.scaleSlope = 0.5
    image.scaleIntercept = 10
    let peer = PythonPeer(python: python, script: "bench/nifti_peer.py")
    let files = [
        ("nifti", "volume.nii", "NIfTI read 240²×155 (ms)"),
        ("niftigz", "volume.nii.gz", "NIfTI .gz read 240²×155 (ms)"),
    ]
    return try files.map { name, file, label in
        let url = dataDirectory.appendingPathComponent(file)
        try image.write(to: url)
        return Workload(
            name: name, label: label, unit: 1e3, peer: peer, peerArguments: ["--file", url.path],
            swift: {
                measure {
                    guard (try? NIfTIImage(contentsOf: url)) != nil else {
                        fatalError("NIfTI benchmark: \(url.path) does not read back")
                    }
                }
            })
    }
}

/// An int16 `[240, 240, 155]` volume of smooth structure plus fine texture (so gzip has work to
/// do), the same values on every run.
private func niftiBenchmarkVolume() -> Tensor {
    let x = Tensor.arange(240, dtype: .float32).reshape([240, 1, 1])
    let y = Tensor.arange(240, dtype: .float32).reshape([1, 240, 1])
    let z = Tensor.arange(155, dtype: .float32).reshape([1, 1, 155])
    let smooth = (x * 0.03).sin() * (y * 0.02).cos() * (z * 0.05 + 1).sin() * 1000
    let texture = (x * 1.7 + y * 2.3 + z * 0.9).sin() * 37
    return (smooth + texture).round().to(dtype: .int16)
}
