import Foundation
import MRIData

/// Seconds per epoch of VarNet training samples read from fastMRI files: each slice read from its
/// HDF5 file, undersampled by a random 4× mask with an 8 % centre seeded by the file name, turned
/// into a `VarNetSample` and collated into batches by a `DataLoader` with worker threads — as
/// `bench/loader_peer.py` does with fastMRI's `SliceDataset`, `VarNetDataTransform` and a torch
/// `DataLoader` with as many worker processes.
///
/// The files (`volumes` simulated multi-coil Shepp-Logan volumes of `slices` slices) are written
/// into `directory`, which both sides read.
func loaderWorkload(
    directory: URL, volumes: Int = 4, slices: Int = 8, coils: Int = 4, size: Int = 256, batch: Int = 4,
    workers: Int = 2, python: String
) throws -> Workload {
    let folder = directory.appendingPathComponent("loader")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let volume = try Phantoms.sheppLogan3D([slices, size, size])
    for index in 0..<volumes {
        try FastMRISimulation(coils: coils).write(
            volume: volume, to: folder.appendingPathComponent("file_bench_\(index).h5").path,
            patientID: "bench\(index)", seed: UInt64(index))
    }
    let transform = VarNetDataTransform(
        undersampling: Undersampling(try RandomMaskFunc(centerFractions: [0.08], accelerations: [4])))
    let dataset = try FastMRISliceDataset(root: folder.path, challenge: .multiCoil)
        .map { try transform(KSpaceSlice($0), generator: $1) }
    let loader = DataLoader(dataset, batchSize: batch, workers: workers)
    return Workload(
        name: "loader", label: "VarNet loader, \(volumes * slices) slices (ms)", unit: 1e3,
        peer: PythonPeer(python: python, script: "bench/loader_peer.py"),
        peerArguments: ["--data", folder.path, "--batch", String(batch), "--workers", String(workers)],
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
