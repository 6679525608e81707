import Foundation
import Testing

@testable import MRITraining
import TorchTestSupport

extension TinyFastMRIData {
    func recipe(output: String, epochs: Int) throws -> ReconstructionRecipe {
        try ReconstructionRecipe(RecipeSection(yaml: """
            task: reconstruction
            model: {name: varnet, num_cascades: 1, chans: 4, pools: 1, sens_chans: 2, sens_pools: 1}
            \(dataSection)
            training:
              epochs: \(epochs)
              optimizer: {name: adam, lr: 0.001}
              schedule: {name: step, step_size: 1, gamma: 0.5}
              seed: 3
            output: \(output)
            """, file: "tiny.yaml"))
    }
}

@Suite("VarNet training from a recipe", .serialized)
struct VarNetTrainingTests {
    @Test("trains on simulated fastMRI files, validates per volume, and resumes to the same weights")
    func trainAndResume() throws {
        let data = try TinyFastMRIData()
        let reference = try expectResumeGivesSameWeights(in: data.root.path) { output in
            try VarNetTraining(recipe: data.recipe(output: output, epochs: 2))
        }
        let history = reference.trainer.history
        #expect(Set(history.epochs[1].metrics?.keys.map { $0 } ?? []) == ["nmse", "psnr", "ssim"])
        #expect(FileManager.default.fileExists(atPath: data.path("straight/last.pt")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path("straight/samples")).sorted()
            == ["epoch_001.png", "epoch_002.png"])
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
