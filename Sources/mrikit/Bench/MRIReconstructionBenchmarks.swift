import Foundation
import MRI

/// A 256×256, 8-coil synthetic acquisition for the reconstruction benchmarks, written to
/// `directory` so the peer (`bench/mri_recon_peer.py`) reconstructs exactly the same data:
/// `kspace.bin` (fully sampled, complex64 `[8, 256, 256]`), `mask.bin` (float32 `[256]`: every 4th
/// column plus 24 centre columns) and `maps.bin` (the low-resolution ACS maps, complex64
/// `[8, 256, 256]`, which both sides' CS uses), all raw little-endian, row-major.
struct ReconstructionBenchData {
    let kspace: Tensor
    let mask: Tensor
    let maps: Tensor
    let reference: Tensor

    init(directory: URL, device: Device) throws {
        let n = 256
        let coordinate = Tensor.linspace(-1, 1, steps: n, device: device)
        let y = coordinate.reshape([n, 1]).expand([n, n])
        let x = coordinate.reshape([1, n]).expand([n, n])
        func ellipse(_ cx: Double, _ cy: Double, _ a: Double, _ b: Double, _ value: Double) -> Tensor {
            (((x - cx) / a).square() + ((y - cy) / b).square()).le(1).to(dtype: .float32) * value
        }
        let magnitude = ellipse(0, 0, 0.69, 0.92, 1) + ellipse(0, -0.02, 0.66, 0.87, -0.8)
            + ellipse(0.22, 0, 0.11, 0.31, -0.2) + ellipse(-0.22, 0, 0.16, 0.41, -0.2)
            + ellipse(0, 0.35, 0.21, 0.25, 0.1) + ellipse(0, -0.6, 0.05, 0.05, 0.3)
        let image = Tensor.polar(abs: magnitude, angle: (x + y * 0.5) * 0.6)
        let coils = (0..<8).map { c -> Tensor in
            let angle = 2 * Double.pi * Double(c) / 8
            let weight = ((x - 1.2 * cos(angle)).square() + (y - 1.2 * sin(angle)).square()) * -1.4
            return Tensor.polar(abs: weight.exp(), angle: x * 0.5 + angle)
        }
        let sensitivities = Tensor.stack(coils, dim: 0).unsqueeze(0)
        let clean = CenteredFFT.forward(sensitivities * image)
        let generator = Generator(seed: 0)
        let noise = Tensor.randn(clean.shape, dtype: .complex64, generator: generator).to(device: device)
        kspace = clean + noise * (0.002 * clean.abs().max().item(Double.self))
        let columns = (0..<n).map { $0 % 4 == 0 || abs($0 - n / 2) < 12 || $0 == n / 2 - 12 ? Float(1) : 0 }
        mask = Tensor(columns, shape: [n]).to(device: device)
        maps = try SensitivityEstimation.lowResolution(kspace * mask, mask: mask)
        reference = try ZeroFilled.rss(kspace)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, tensor) in [("kspace", kspace[0]), ("mask", mask), ("maps", maps[0])] {
            try Data(tensor.contiguous().toBytes()).write(to: directory.appendingPathComponent("\(name).bin"))
        }
    }

    /// `‖|x| − reference‖ / ‖reference‖`.
    func nrmse(_ image: Tensor) -> Double {
        let magnitude = image.dtype.isComplex ? image.abs() : image
        return ((magnitude - reference).norm() / reference.norm()).item(Double.self)
    }
}

/// GRAPPA (5×5, λ 0.01) vs pygrappa, ESPIRiT (6×6 kernel, 24×24 calibration) vs BART `ecalib -m1`,
/// and L1-wavelet CS (100 iterations, the same maps and λ, BART's wavelet level count) vs BART `pics -l1`, on
/// ``ReconstructionBenchData``; seconds per reconstruction. Prints MRIKit's NRMSE for each (the
/// peer prints its own in its JSON line).
func mriReconstructionWorkloads(device: Device, dataDirectory: URL, python: String) throws -> [Workload] {
    let data = try ReconstructionBenchData(directory: dataDirectory, device: device)
    let undersampled = data.kspace * data.mask
    let lambda = try 0.002 * ZeroFilled.sensitivityCombined(undersampled, sensitivities: data.maps)
        .abs().max().item(Double.self)
    let peer = PythonPeer(python: python, script: "bench/mri_recon_peer.py")
    let arguments = ["--data", dataDirectory.path, "--lambda", String(lambda)]
    func timed(_ body: @escaping () throws -> Tensor) -> () -> Double {
        {
            measure {
                _ = try? body()
                if device.kind == .cuda { Runtime.synchronize(cudaDevice: device.index ?? 0) }
            }
        }
    }
    let grappa = { try GRAPPA.reconstruct(undersampled, mask: data.mask, kernelSize: [5, 5], lambda: 0.01) }
    let espirit = { try SensitivityEstimation.espirit(undersampled, mask: data.mask, calibrationHeight: 24) }
    let cs = {
        try CompressedSensing.reconstruct(
            undersampled, mask: data.mask, sensitivities: data.maps, regularizer: .l1Wavelet(),
            lambda: lambda, iterations: 100)
    }
    print("MRIKit NRMSE: zero-filled \(data.nrmse(try ZeroFilled.rss(undersampled))), "
        + "GRAPPA \(data.nrmse(try ZeroFilled.rss(try grappa()))), CS \(data.nrmse(try cs())) (λ \(lambda))")
    return [
        Workload(name: "grappa", label: "GRAPPA 256² 8 coils R4 (s)", unit: 1, peer: peer, peerArguments: arguments,
                 swift: timed(grappa)),
        Workload(name: "espirit", label: "ESPIRiT 256² 8 coils (s)", unit: 1, peer: peer, peerArguments: arguments,
                 swift: timed(espirit)),
        Workload(name: "cs", label: "L1-wavelet CS 256² 100 it (s)", unit: 1, peer: peer, peerArguments: arguments,
                 swift: timed(cs)),
    ]
}
