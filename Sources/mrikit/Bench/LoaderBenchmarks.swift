import Foundation
import MRIData

/// Seconds per epoch of VarNet training samples through `VarNetDataTransform` (random 4× mask with
/// an 8 % centre, seeded by file name) and a `DataLoader` with worker threads, batches collated,
/// from multi-coil k-space slices held in memory, as `bench/loader_peer.py` does with fastMRI's
/// transform and a torch DataLoader.
func loaderWorkload(
    slices: Int = 32, coils: Int = 4, size: Int = 256, batch: Int = 4, workers: Int = 2, python: String
) throws -> Workload {
    let transform = VarNetDataTransform(
        undersampling: Undersampling(try RandomMaskFunc(centerFractions: [0.08], accelerations: [4])))
    let dataset = ArrayDataset((0..<slices).map { loaderBenchmarkSlice($0, coils: coils, size: size) })
        .map { try transform($0, generator: $1) }
    let loader = DataLoader(dataset, batchSize: batch, workers: workers)
    return Workload(
        name: "loader", label: "VarNet loader, \(slices) slices (ms)", unit: 1e3,
        peer: PythonPeer(python: python, script: "bench/loader_peer.py"),
        peerArguments: [
            "--slices", String(slices), "--coils", String(coils), "--size", String(size), "--batch", String(batch),
            "--workers", String(workers),
        ],
        swift: {
            measure {
                let epoch = loader.makeEpoch()
                do {
                    while try epoch.next() != nil {}
                } catch {
                    fatalError("loader benchmark: \(error)")
                }
            }
        })
}

/// Slice `index` of `bench/loader_peer.py`'s data: k-space `cos(0.01x(c+1) + 0.02y + i) +
/// i·sin(0.03y − 0.01x + i)` on `[coils, size, size]`, target `1 + sin(0.05x + 0.1i)·cos(0.07y)`,
/// volumes of 8 slices.
private func loaderBenchmarkSlice(_ index: Int, coils: Int, size: Int) -> KSpaceSlice {
    let c = Tensor.arange(coils, dtype: .float64).reshape([coils, 1, 1])
    let y = Tensor.arange(size, dtype: .float64).reshape([1, size, 1])
    let x = Tensor.arange(size, dtype: .float64).reshape([1, 1, size])
    let offset = Double(index)
    let real = (x * 0.01 * (c + 1) + y * 0.02 + offset).cos()
    let imaginary = (y * 0.03 - x * 0.01 + offset).sin().expand([coils, size, size])
    let kspace = Tensor.complex(real: real.to(dtype: .float32), imaginary: imaginary.to(dtype: .float32))
    let target = ((x[0] * 0.05 + 0.1 * offset).sin() * (y[0] * 0.07).cos() + 1).to(dtype: .float32)
    return KSpaceSlice(
        kspace: kspace, target: target, maxValue: 2, reconSize: [size, size], fileName: "file\(index / 8).h5",
        sliceNumber: index % 8)
}
