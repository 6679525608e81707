import Foundation
import Testing

@testable import MRITraining
import TorchTestSupport

/// A tiny simulated fastMRI dataset (phantom slabs, 4 coils, 32×32) in a temporary folder.
private final class TinyFastMRIData {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mrikit-varnet-\(UUID().uuidString)")

    init() throws {
        let phantom = try Phantoms.sheppLogan3D([12, 32, 32])
        let simulation = FastMRISimulation(coils: 4, snr: 50)
        for (split, range, index) in [("train", 2..<5, 0), ("train", 5..<8, 1), ("val", 8..<10, 2)] {
            let folder = root.appendingPathComponent(split)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try simulation.write(volume: phantom[range].contiguous(), to: folder.appendingPathComponent("file\(index).h5").path,
                                 patientID: "p\(index)", seed: UInt64(index))
        }
    }

    func recipe(output: String, epochs: Int) throws -> ReconstructionRecipe {
        try ReconstructionRecipe(RecipeSection(yaml: """
            task: reconstruction
            model: {name: varnet, num_cascades: 1, chans: 4, pools: 1, sens_chans: 2, sens_pools: 1}
            data:
              train: \(root.appendingPathComponent("train").path)
              val: \(root.appendingPathComponent("val").path)
              mask: {type: equispaced_fraction, center_fractions: [0.25], accelerations: [2]}
              workers: 2
            training:
              epochs: \(epochs)
              optimizer: {name: adam, lr: 0.001}
              schedule: {name: step, step_size: 1, gamma: 0.5}
              seed: 3
            output: \(output)
            """, file: "tiny.yaml"))
    }

    deinit { try? FileManager.default.removeItem(at: root) }
}

@Suite("VarNet training from a recipe", .serialized)
struct VarNetTrainingTests {
    @Test("trains on simulated fastMRI files, validates per volume, and resumes to the same weights")
    func trainAndResume() throws {
        let data = try TinyFastMRIData()
        let straight = data.root.appendingPathComponent("straight").path
        let split = data.root.appendingPathComponent("split").path

        let reference = try VarNetTraining(recipe: data.recipe(output: straight, epochs: 2))
        let history = try reference.run()
        #expect(history.epochs.count == 2)
        #expect(Set(history.epochs[1].metrics?.keys.map { $0 } ?? []) == ["nmse", "psnr", "ssim"])
        #expect(history.epochs.allSatisfy { $0.globalStep > 0 && $0.trainingLoss.isFinite })
        #expect(FileManager.default.fileExists(atPath: straight + "/last.pt"))

        // One epoch, then a fresh process-like run (other seed state) resuming for the second.
        try VarNetTraining(recipe: data.recipe(output: split, epochs: 1)).run()
        manualSeed(1234)
        let resumed = try VarNetTraining(recipe: data.recipe(output: split, epochs: 2))
        try resumed.trainer.resume(from: split + "/last.pt")
        try resumed.run()
        for ((name, a), (_, b)) in zip(resumed.model.stateDict(), reference.model.stateDict()) {
            #expect(maxAbsDifference(a, b) == 0, "\(name)")
        }
        #expect(resumed.trainer.history.epochs.map(\.trainingLoss) == history.epochs.map(\.trainingLoss))
    }

    @Test("a recipe naming a missing folder or an unknown loss is refused with the key named")
    func badRecipes() throws {
        let data = try TinyFastMRIData()
        let text = """
            task: reconstruction
            model: {name: varnet}
            data: {train: /nonexistent/train, val: /nonexistent/val}
            training: {epochs: 1, optimizer: {name: adam, lr: 0.001}}
            output: /tmp/x
            """
        #expect(throws: RecipeError(file: "bad.yaml", line: 3, key: "data.train", value: "/nonexistent/train",
                                    allowed: "an existing folder of fastMRI .h5 files")) {
            _ = try ReconstructionRecipe(RecipeSection(yaml: text, file: "bad.yaml"))
        }
        let badLoss = text.replacingOccurrences(of: "/nonexistent/train", with: data.root.path)
            .replacingOccurrences(of: "/nonexistent/val", with: data.root.path)
            .replacingOccurrences(of: "epochs: 1,", with: "epochs: 1, loss: dice,")
        #expect(throws: RecipeError.self) { _ = try ReconstructionRecipe(RecipeSection(yaml: badLoss, file: "bad.yaml")) }
    }
}
