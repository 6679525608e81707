import Foundation
import Testing

@testable import mrikit
import MRITraining

@Suite("mrikit train with the reconstruction recipes", .serialized)
struct ReconstructionRecipeCommandTests {
    @Test("train dispatches on model.name: a U-Net recipe trains, resumes and logs")
    func unetRecipe() throws {
        let folder = try Scratch()
        let scratch = folder.path
        try SimulateCommand.parse([
            "--output", scratch + "/sim", "--phantom-volumes", "2", "--slices", "2", "--size", "32", "--coils", "2",
            "--split", "0.5,0.5,0",
        ]).run()
        let recipe = try folder.write("""
            task: reconstruction
            model: {name: unet, chans: 2, num_pool_layers: 1}
            data: {train: \(scratch)/sim/multicoil_train, val: \(scratch)/sim/multicoil_val, challenge: multicoil, workers: 0}
            training: {epochs: 2, optimizer: {name: rmsprop, lr: 0.001}}
            output: \(scratch)/run
            """, to: "unet.yaml")
        try TrainCommand.parse([recipe, "--epochs", "1"]).run()
        try TrainCommand.parse([recipe, "--resume"]).run()
        let log = try String(contentsOfFile: scratch + "/run/log.csv", encoding: .utf8)
        #expect(log.split(separator: "\n").count == 3)  // header + 2 epochs, the second resumed
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch + "/run/samples").sorted()
            == ["epoch_001.png", "epoch_002.png"])

        try EvaluateCommand.parse([
            "--data", scratch + "/sim/multicoil_val", "--methods", "zero-filled", "--recipe", recipe,
            "--checkpoint", scratch + "/run/last.pt", "--output", scratch + "/eval",
        ]).run()
        let rows = try String(contentsOfFile: scratch + "/eval.csv", encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: ",").map(String.init) }
        #expect(rows.map(\.[0]) == ["method", "zero-filled", "U-Net"])
        // (Validation logs fastMRI's U-Net metrics against the target restored from its clamped
        // normalisation, evaluate against the file's target: the two differ.)
        #expect(rows[2].dropFirst(2).allSatisfy { Double($0)?.isFinite == true })
    }

    @Test("an unknown model name is refused naming the key and listing the models")
    func unknownModel() throws {
        let folder = try Scratch()
        let recipe = try folder.write("task: reconstruction\nmodel: {name: resnet}\n", to: "resnet.yaml")
        #expect(throws: RecipeError(file: recipe, line: 2, key: "model.name", value: "resnet",
                                    allowed: "one of varnet, unet, varnet_rcan, cine_unet_resnet, dccnn")) {
            try TrainCommand.parse([recipe]).run()
        }
    }
}
