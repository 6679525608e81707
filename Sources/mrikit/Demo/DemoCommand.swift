import ArgumentParser
import Foundation
import MRITraining

/// `mrikit demo`: the README's first command. Real brain anatomy (the MNI152 template), simulated
/// 8-coil 4× accelerated acquisitions, a small E2E-VarNet trained and compared with zero-filled,
/// GRAPPA, SENSE and compressed sensing; then a small U-Net segmenting gray and white matter.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train and evaluate a reconstruction and a segmentation network on built-in brain data.",
        discussion: """
            The data are axial slices of the MNI152 2009c T1 template and its gray/white-matter maps, \
            which `make setup` unpacks from the nilearn wheel into data/mni152. Every other slice of \
            30–64 and 96–130 trains; every fourth of 70–90 is held out. Results, checkpoints, CSV logs and PNG figures go to --output.
            """)

    @Option(help: "The folder holding the MNI152 template files.") var data = "data/mni152"
    @Option(help: "Where results, checkpoints and figures go.") var output = "runs/demo"
    @Option(help: "Epochs of VarNet training (one pass over the training slices each).") var reconstructionEpochs = 15
    @Option(help: "Epochs of U-Net training.") var segmentationEpochs = 40
    @Option(help: "CPU threads (0: libtorch's default).") var threads = 0

    func validate() throws {
        guard reconstructionEpochs > 0, segmentationEpochs > 0, threads >= 0 else {
            throw ValidationError("--reconstruction-epochs and --segmentation-epochs must be positive, --threads ≥ 0")
        }
    }

    func run() throws {
        if threads > 0 { Runtime.threadCount = threads }
        let started = ContinuousClock.now
        print("MRIKit demo on libtorch \(Runtime.libtorchVersion), \(Runtime.threadCount) CPU threads")
        let trainingIndices = Array(stride(from: 30, through: 64, by: 2)) + Array(stride(from: 96, through: 130, by: 2))
        let testIndices = Array(stride(from: 70, through: 90, by: 4))
        let anatomy = try DemoAnatomy(directory: data, sliceIndices: trainingIndices + testIndices)
        let training = Array(0..<trainingIndices.count)
        let test = Array(trainingIndices.count..<anatomy.sliceIndices.count)
        print("MNI152 T1: \(anatomy.t1.size(0)) axial slices of \(anatomy.t1.size(1))×\(anatomy.t1.size(2)) at 2 mm")
        let outputURL = URL(fileURLWithPath: output)

        let reconstruction = try DemoReconstruction(
            anatomy: anatomy, trainingSlices: training, testSlices: test, epochs: reconstructionEpochs,
            output: outputURL).run()
        print("\nHeld-out reconstruction (mean ± std over \(test.count) slices):")
        print(reconstruction.table())

        let segmentation = try DemoSegmentation(
            anatomy: anatomy, trainingSlices: training, testSlices: test, epochs: segmentationEpochs,
            output: outputURL).run()
        print("\nHeld-out segmentation (Dice, mean ± std over \(test.count) slices):")
        print(segmentation.table())
        let seconds = (ContinuousClock.now - started).components.seconds
        print("Done in \(seconds / 60) min \(seconds % 60) s; everything is in \(output)/")
    }
}
