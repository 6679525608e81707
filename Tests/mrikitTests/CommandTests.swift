import Foundation
import Testing

@testable import mrikit
import MRITraining
import TorchTestSupport

@Suite("mrikit commands", .serialized)
struct CommandTests {
    @Test("simulate → train → evaluate → reconstruct on a tiny phantom dataset, and train --resume")
    func reconstructionWorkflow() throws {
        let scratch = try Scratch()
        let data = scratch.path + "/sim"
        try SimulateCommand.parse([
            "--output", data, "--phantom-volumes", "3", "--slices", "2", "--size", "32", "--coils", "4",
            "--split", "0.34,0.33,0.33", "--center-fraction", "0.25", "--acceleration", "2",
        ]).run()
        for split in ["train", "val", "test"] {
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(data)/multicoil_\(split)").count == 1)
        }
        let recipe = try scratch.write("""
            task: reconstruction
            model: {name: varnet, num_cascades: 1, chans: 4, pools: 1, sens_chans: 2, sens_pools: 1}
            data:
              train: \(data)/multicoil_train
              val: \(data)/multicoil_val
              mask: {type: equispaced_fraction, center_fractions: [0.25], accelerations: [2]}
              workers: 0
            training: {epochs: 2, optimizer: {name: adam, lr: 0.001}, loss: l1}
            output: \(scratch.path)/run
            """, to: "tiny.yaml")
        try TrainCommand.parse([recipe, "--epochs", "1"]).run()
        try TrainCommand.parse([recipe, "--resume"]).run()
        let log = try String(contentsOfFile: scratch.path + "/run/log.csv", encoding: .utf8)
        #expect(log.split(separator: "\n").count == 3)  // header + 2 epochs, the second resumed
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/run/training.png"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/run/samples")
            == ["epoch_001.png", "epoch_002.png"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/run/tensorboard").count == 2)

        try EvaluateCommand.parse([
            "--data", "\(data)/multicoil_val", "--methods", "zero-filled,GRAPPA", "--recipe", recipe,
            "--checkpoint", scratch.path + "/run/best.pt", "--output", scratch.path + "/eval",
        ]).run()
        let csv = try String(contentsOfFile: scratch.path + "/eval.csv", encoding: .utf8)
        #expect(csv.hasPrefix("method,volume,nmse,psnr,ssim\n"))
        #expect(csv.split(separator: "\n").map { $0.split(separator: ",").first ?? "" } == ["method", "zero-filled", "GRAPPA", "VarNet"])

        try ReconstructCommand.parse([
            "--recipe", recipe, "--checkpoint", scratch.path + "/run/last.pt", "--data", "\(data)/multicoil_test",
            "--output", scratch.path + "/submission", "--nifti", "--png",
        ]).run()
        let submitted = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/submission").sorted()
        #expect(submitted.count == 3)
        let name = try #require(submitted.first { $0.hasSuffix(".h5") })
        let reconstruction = try FastMRISubmission.reconstruction(at: scratch.path + "/submission/" + name)
        #expect(reconstruction.shape == [2, 32, 32])
        let stem = scratch.path + "/submission/" + name.dropLast(3)
        let volume = try NIfTIImage(contentsOf: URL(fileURLWithPath: stem + ".nii.gz"))
        #expect(maxAbsDifference(volume.data, reconstruction.permute([2, 1, 0])) == 0)
        #expect(try PNGFile.read(from: URL(fileURLWithPath: stem + ".png")).shape == [1, 32, 32])
    }

    @Test("bad options are refused before any work, naming the option")
    func badOptions() {
        #expect(throws: (any Error).self) { try SimulateCommand.parse(["--output", "/tmp/x", "--split", "0.5,0.6,0.1"]) }
        #expect(throws: (any Error).self) { try SimulateCommand.parse(["--output", "/tmp/x", "--mask", "spiral"]) }
        #expect(throws: (any Error).self) { try TrainCommand.parse(["/nonexistent.yaml"]).run() }
    }
}
