import Foundation
import Testing

@testable import mrikit
import MRITraining

/// `mrikit train --nproc 2` run as a separate process of the built `mrikit` (the launcher starts
/// workers of its own executable, so it cannot run inside the test process).
@Suite("mrikit train --nproc", .serialized)
struct DistributedTrainCommandTests {
    @Test("two workers shard each epoch and rank 0 alone writes; the checkpoint resumes in one process")
    func twoWorkersThenResumeAlone() throws {
        let folder = try Scratch()
        let scratch = folder.path
        try SimulateCommand.parse([
            "--output", scratch + "/sim", "--phantom-volumes", "3", "--slices", "2", "--size", "32", "--coils", "4",
            "--split", "0.34,0.33,0.33", "--center-fraction", "0.25", "--acceleration", "2",
        ]).run()
        let recipe = try folder.write(
            """
            task: reconstruction
            model: {name: varnet, num_cascades: 1, chans: 4, pools: 1, sens_chans: 2, sens_pools: 1}
            data:
              train: \(scratch)/sim/multicoil_train
              val: \(scratch)/sim/multicoil_val
              mask: {type: equispaced_fraction, center_fractions: [0.25], accelerations: [2]}
              workers: 0
            training: {epochs: 2, optimizer: {name: adam, lr: 0.001}, loss: l1}
            output: \(scratch)/run
            """, to: "tiny.yaml")

        try launchTwoWorkers(["train", recipe, "--epochs", "1"])

        // Two training slices over two ranks with batch 1: one step per epoch (one process takes two).
        func globalSteps() throws -> [String] {
            try String(contentsOfFile: scratch + "/run/log.csv", encoding: .utf8).split(separator: "\n").dropFirst()
                .map { String($0.split(separator: ",")[1]) }
        }
        #expect(try globalSteps() == ["1"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch + "/run/samples") == ["epoch_001.png"])

        try TrainCommand.parse([recipe, "--resume"]).run()
        #expect(try globalSteps() == ["1", "3"])
    }

    @Test("a segmentation recipe trains data-parallel: each rank reads half of the training slices")
    func segmentationTwoWorkers() throws {
        let folder = try Scratch()
        let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("MRIDataTests/Fixtures/datasets").path
        let recipe = try folder.write(
            """
            task: segmentation
            model: {name: unet2d, in_channels: 3, out_channels: 1, depth: 2, filters: 2}
            data: {format: lgg, root: \(datasets)/kaggle_3m, validation: 1, batch_size: 1, workers: 0}
            training: {epochs: 1, optimizer: {name: sgd, lr: 0.1}, loss: dice_bce}
            output: \(folder.path)/run
            """, to: "lgg.yaml")
        try launchTwoWorkers(["train", recipe])
        let slices = try SegmentationTraining(recipe: SegmentationRecipe(RecipeSection(contentsOfFile: recipe)))
            .source.training.count
        let log = try String(contentsOfFile: folder.path + "/run/log.csv", encoding: .utf8).split(separator: "\n")
        #expect(log.count == 2)
        #expect(log.last.map { String($0.split(separator: ",")[1]) } == "\((slices + 1) / 2)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/run/samples") == ["epoch_001.png"])
    }

    /// Runs the built `mrikit` with `arguments` and `--nproc 2`, expecting it to succeed.
    private func launchTwoWorkers(_ arguments: [String]) throws {
        let launcher = Process()
        launcher.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("mrikit")
        launcher.arguments = arguments + ["--nproc", "2", "--distributed-timeout", "60"]
        try launcher.run()
        // A watchdog against a hang (the run takes seconds), not a timing check.
        let deadline = Date().addingTimeInterval(300)
        while launcher.isRunning, Date() < deadline { usleep(50_000) }
        if launcher.isRunning { launcher.terminate() }
        launcher.waitUntilExit()
        #expect(launcher.terminationReason == .exit && launcher.terminationStatus == 0)
    }
}
