import Foundation
import MRI

/// The SSIM benchmark: fastMRI's volume SSIM (skimage semantics) of a `[slices, size, size]` float64
/// volume, against `bench/mri_ssim_peer.py` (scikit-image, run with `.venv-mri/bin/python`).
///
/// Both sides build the same deterministic volumes, so their SSIM values agree (the peer prints its
/// value in its JSON line).
func ssimVolumeWorkload(slices: Int = 30, size: Int = 256, device: Device, python: String) -> Workload {
    let (target, prediction) = ssimBenchmarkVolumes(slices: slices, size: size, device: device)
    return Workload(
        name: "ssim", label: "SSIM \(slices)×\(size)² volume (ms)", unit: 1e3,
        peer: PythonPeer(python: python, script: "bench/mri_ssim_peer.py"),
        peerArguments: ["--slices", String(slices), "--size", String(size)],
        swift: {
            measure {
                guard (try? ImageQuality.ssim(target, prediction)) != nil else {
                    fatalError("SSIM benchmark: the generated volumes were rejected")
                }
                if device.kind == .cuda { Runtime.synchronize(cudaDevice: device.index ?? 0) }
            }
        })
}

/// `target = 1 + sin(0.05x + 0.1z)·cos(0.07y)` and `prediction = target + 0.1·sin(1.3x + 0.7y + 0.3z)`
/// on the `[z, y, x]` grid, as in `bench/mri_ssim_peer.py`.
func ssimBenchmarkVolumes(slices: Int, size: Int, device: Device) -> (target: Tensor, prediction: Tensor) {
    let z = Tensor.arange(slices, dtype: .float64).reshape([slices, 1, 1])
    let y = Tensor.arange(size, dtype: .float64).reshape([1, size, 1])
    let x = Tensor.arange(size, dtype: .float64).reshape([1, 1, size])
    let target = (x * 0.05 + z * 0.1).sin() * (y * 0.07).cos() + 1
    let prediction = target + (x * 1.3 + y * 0.7 + z * 0.3).sin() * 0.1
    return (target.to(device: device), prediction.to(device: device))
}
