import ArgumentParser
import Foundation
import MRITraining

/// `mrikit simulate`: a multi-coil reconstruction dataset in fastMRI's HDF5 layout, simulated from
/// NIfTI volumes or the 3-D Shepp–Logan phantom.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate multi-coil k-space from images and write fastMRI-layout train/val/test folders.",
        discussion: """
            Each NIfTI volume (or phantom volume) becomes one file of axial slices: loop-coil sensitivities, \
            a smooth background phase and complex Gaussian noise at --snr. Training and validation files \
            hold fully sampled k-space and reconstruction_rss (masks are drawn at training time, as \
            fastMRI does); test files are undersampled with the file-name-seeded mask and carry `mask`, \
            `acceleration` and `num_low_frequency`.
            """)

    @Option(help: "Output folder; multicoil_train, multicoil_val and multicoil_test are created in it.")
    var output: String
    @Option(parsing: .upToNextOption, help: "NIfTI volumes to simulate from (each one volume).") var nifti: [String] = []
    @Option(help: "Phantom volumes to simulate when no --nifti is given.") var phantomVolumes = 6
    @Option(help: "Slices per phantom volume.") var slices = 8
    @Option(help: "Phantom image size in pixels (height = width).") var size = 128
    @Option(help: "Receive coils.") var coils = 8
    @Option(help: "Signal-to-noise ratio of the k-space noise (0: no noise).") var snr = 40.0
    @Option(help: "Test-set mask type: random, equispaced, equispaced_fraction, magic, magic_fraction.")
    var mask = "equispaced_fraction"
    @Option(help: "Test-set acceleration.") var acceleration = 4
    @Option(help: "Test-set fraction of fully sampled centre columns.") var centerFraction = 0.08
    @Option(help: "Fractions of volumes for train,val,test.") var split = "0.6,0.2,0.2"
    @Option(help: "Seed of the split and the noise.") var seed: UInt64 = 0

    func validate() throws {
        guard coils > 0, size >= 16, slices > 0, phantomVolumes > 0, snr >= 0, acceleration >= 1,
              (0...1).contains(centerFraction)
        else { throw ValidationError("--coils, --slices, --phantom-volumes must be positive, --size ≥ 16, --snr ≥ 0") }
        guard MaskRecipe.Kind(rawValue: mask) != nil else {
            throw ValidationError("--mask '\(mask)': expected one of \(MaskRecipe.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard fractions.count == 3, fractions.allSatisfy({ $0 >= 0 }), abs(fractions.reduce(0, +) - 1) < 1e-6 else {
            throw ValidationError("--split '\(split)': expected three non-negative fractions adding up to 1, e.g. 0.6,0.2,0.2")
        }
    }

    private var fractions: [Double] { split.split(separator: ",").compactMap { Double($0) } }

    func run() throws {
        let volumes = try loadVolumes()
        let testMask = try MaskRecipe(
            kind: MaskRecipe.Kind(rawValue: mask)!, centerFractions: [centerFraction], accelerations: [acceleration]
        ).make()
        let simulation = FastMRISimulation(coils: coils, snr: snr > 0 ? snr : nil)
        let order = Tensor.randperm(volumes.count, generator: Generator(seed: seed)).toArray(of: Int64.self).map(Int.init)
        let trainCount = Int((fractions[0] * Double(volumes.count)).rounded())
        let validationCount = Int((fractions[1] * Double(volumes.count)).rounded())
        for (position, index) in order.enumerated() {
            let split = position < trainCount ? "train" : position < trainCount + validationCount ? "val" : "test"
            let folder = URL(fileURLWithPath: output).appendingPathComponent("multicoil_\(split)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let name = String(format: "file_sim_%04d.h5", index)
            try simulation.write(
                volume: volumes[index].data, to: folder.appendingPathComponent(name).path,
                patientID: volumes[index].name, seed: seed &+ UInt64(index), testMask: split == "test" ? testMask : nil)
            print("\(split)  \(name)  \(volumes[index].data.shape)  from \(volumes[index].name)")
        }
    }

    /// `[slices, H, W]` volumes with a name each: every non-empty axial slice of each NIfTI file, or
    /// slabs of the 3-D Shepp–Logan phantom.
    private func loadVolumes() throws -> [(name: String, data: Tensor)] {
        if nifti.isEmpty {
            let depth = phantomVolumes * slices + 2 * slices
            let phantom = try Phantoms.sheppLogan3D([depth, size, size])
            return (0..<phantomVolumes).map { volume in
                let start = slices + volume * slices
                return ("shepp-logan slices \(start)-\(start + slices - 1)", phantom[start..<start + slices].contiguous())
            }
        }
        return try nifti.map { path in
            let data = try NIfTIImage(contentsOf: URL(fileURLWithPath: path)).data
            guard data.rank == 3 else {
                throw DataError(file: path, field: "dim", "expected a 3-D volume, got \(data.shape)")
            }
            let axial = AxialSlices.of(data)
            let energy = axial.abs().sum(dim: [1, 2])
            let kept = (energy .> energy.max() * 0.05).nonzero().flatten()
            guard kept.count > 0 else { throw DataError(file: path, field: "data", "holds no signal") }
            return (URL(fileURLWithPath: path).lastPathComponent, axial.indexSelect(dim: 0, index: kept) / axial.max())
        }
    }
}
