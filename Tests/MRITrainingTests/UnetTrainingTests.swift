import Foundation
import Testing

@testable import MRIData
@testable import MRITraining
import TorchTestSupport

extension TinyFastMRIData {
    /// A tiny U-Net recipe on the multi-coil folders (`extra` goes into the model section).
    func unetRecipeText(output: String, epochs: Int, extra: String = "") -> String {
        """
        task: reconstruction
        model: {name: unet, chans: 4, num_pool_layers: 2\(extra)}
        \(dataSection)
        training:
          epochs: \(epochs)
          optimizer: {name: rmsprop, lr: 0.001}
          schedule: {name: step, step_size: 1, gamma: 0.1}
          loss: l1
          seed: 5
        output: \(output)
        """
    }
}

/// Expects the first validation slice's normalised target, brought back to scale, to equal the
/// file's `reconstruction` wherever normalisation did not clamp it (at ±6).
private func expectValidationTargetRestored(
    _ training: UnetTraining, file: String, _ reconstruction: FastMRIReconstruction
) throws {
    let batch = try #require(try training.validationLoader.makeEpoch(0).next())
    let target = try FastMRIFile(reading: file).reconstruction(reconstruction, slice: batch.sliceNumbers[0])
    let unclamped = batch.target[0].abs().lt(Float(6)).to(dtype: .float32)
    // float32 normalise-then-restore: relative error of a few ulps of the volume's maximum.
    #expect(maxAbsDifference(batch.unnormalized(batch.target)[0] * unclamped, target * unclamped)
        <= 1e-5 * Double(target.max().item(Float.self)))
}

@Suite("fastMRI U-Net training from a recipe", .serialized)
struct UnetTrainingTests {
    @Test("trains on simulated multi-coil files, validates per volume with panels, and resumes to the same weights")
    func trainAndResume() throws {
        let data = try TinyFastMRIData()
        let reference = try expectResumeGivesSameWeights(in: data.root.path) { output in
            try UnetTraining(recipe: UnetRecipe(RecipeSection(
                yaml: data.unetRecipeText(output: output, epochs: 2), file: "tiny_unet.yaml")))
        }
        let metrics = try #require(reference.trainer.history.epochs[1].metrics)
        #expect(Set(metrics.keys) == ["nmse", "psnr", "ssim"])
        #expect(metrics.values.allSatisfy { $0.isFinite })
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path("straight/samples")).sorted()
            == ["epoch_001.png", "epoch_002.png"])
        #expect(try PNGFile.read(from: URL(fileURLWithPath: data.path("straight/samples/epoch_002.png"))).size(0) == 3)

        // `mrikit evaluate`'s predictor, from the last checkpoint, gives the images validation saw.
        let predictor = try AnyReconstructionRecipe(RecipeSection(
            yaml: data.unetRecipeText(output: data.path("unused"), epochs: 2), file: "tiny_unet.yaml"))
            .trainedPredictor(checkpoint: data.path("straight/last.pt"))
        var predicted: [Tensor] = []
        try FastMRIVolumes(folder: data.path("val"), mask: predictor.mask).forEach { predicted.append(try predictor($0)) }
        var validated: [Tensor] = []
        let batches = reference.validationLoader.makeEpoch(0)
        while let batch = try batches.next() {
            validated.append(withoutGradient { batch.unnormalized(UnetTraining.predict(reference.model, batch)) })
        }
        // The same float32 operations on the same inputs.
        #expect(maxAbsDifference(Tensor.cat(predicted), Tensor.cat(validated)) <= 1e-6)
    }

    @Test("two epochs from the recipe's optimizer and schedule match fastMRI's UnetModule (RMSprop, StepLR, L1)")
    func matchesFastMRI() throws {
        let fixture = try Fixture("unet_recipe_training")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("mrikit-unet-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let recipe = try RecipeSection.$checksPaths.withValue(false) {
            try UnetRecipe(RecipeSection(yaml: """
                task: reconstruction
                model: {name: unet, chans: 2, num_pool_layers: 1}
                data: {train: unused, val: unused}
                training:
                  epochs: 2
                  optimizer: {name: rmsprop, lr: 0.001}
                  schedule: {name: step, step_size: 1, gamma: 0.5}
                  loss: l1
                output: \(output)
                """, file: "unet.yaml"))
        }
        let model = recipe.model.make()
        _ = try model.loadStateDict(StateDict(model.stateDict().keys.map { ($0, fixture.tensor("initial." + $0)) }))
        let batches = (0..<2).map { index in
            UnetBatch(
                image: fixture.tensor("image\(index)"), target: fixture.tensor("target\(index)"), mean: Tensor([Float(0)]),
                std: Tensor([Float(1)]), fileNames: ["fixture"], sliceNumbers: [index], maxValue: Tensor([0.0], shape: [1]))
        }
        let history = try recipe.training.makeTrainer(model: model, batchesPerEpoch: 2).fit(
            trainingBatches: { _, body in for batch in batches { try body(batch) } }, loss: UnetTraining.loss)
        for epoch in 0..<2 {
            // float32 forward passes summed in another order than PyTorch's: a few ulps of the loss.
            #expect(abs(history.epochs[epoch].trainingLoss - fixture.scalar("epoch\(epoch)_loss")) < 1e-6)
        }
        for (name, weights) in model.stateDict() {
            // Four RMSprop steps of size ~lr from float32 gradients.
            expectClose(weights, fixture.tensor("final." + name), tolerance: 1e-5, "\(name)")
        }
    }

    @Test("the validation images are brought back to the target's scale (fastMRI's output · std + mean)")
    func validationScale() throws {
        let data = try TinyFastMRIData()
        let training = try UnetTraining(recipe: UnetRecipe(RecipeSection(
            yaml: data.unetRecipeText(output: data.path("run"), epochs: 1), file: "tiny_unet.yaml")))
        try expectValidationTargetRestored(training, file: data.path("val/file2.h5"), .rss)
    }

    @Test("trains on single-coil files against their ESC targets")
    func singleCoil() throws {
        let data = try TinyFastMRIData()
        try data.writeSingleCoil()
        let text = data.unetRecipeText(output: data.path("run"), epochs: 1)
            .replacingOccurrences(of: "/train\n", with: "/singlecoil_train\n").replacingOccurrences(of: "/val\n", with: "/singlecoil_val\n")
            .replacingOccurrences(of: "challenge: multicoil", with: "challenge: singlecoil")
        let training = try UnetTraining(recipe: UnetRecipe(RecipeSection(yaml: text, file: "tiny_unet.yaml")))
        try expectValidationTargetRestored(training, file: data.path("singlecoil_val/single2.h5"), .esc)
        let metrics = try #require(try training.run().epochs[0].metrics)
        #expect(Set(metrics.keys) == ["nmse", "psnr", "ssim"] && metrics.values.allSatisfy { $0.isFinite })
    }

    @Test("a bad model value or key, or a challenge the task cannot train on, is refused naming the key")
    func badRecipes() throws {
        let data = try TinyFastMRIData()
        let good = data.unetRecipeText(output: data.path("run"), epochs: 1)
        #expect(throws: RecipeError(file: "bad.yaml", line: 2, key: "model.chans", value: "0", allowed: "a value in 1...1024")) {
            _ = try UnetRecipe(RecipeSection(yaml: good.replacingOccurrences(of: "chans: 4", with: "chans: 0"), file: "bad.yaml"))
        }
        #expect(throws: RecipeError(
            file: "bad.yaml", line: 2, key: "model.drop_rate", value: nil,
            allowed: "one of the keys name, chans, num_pool_layers, drop_prob (unknown key)")
        ) {
            _ = try UnetRecipe(RecipeSection(yaml: data.unetRecipeText(output: "/tmp/x", epochs: 1, extra: ", drop_rate: 0.1"),
                                             file: "bad.yaml"))
        }
        #expect(throws: RecipeError(file: "bad.yaml", line: 6, key: "data.challenge", value: "dualcoil",
                                    allowed: "one of singlecoil, multicoil")) {
            _ = try UnetRecipe(RecipeSection(
                yaml: good.replacingOccurrences(of: "challenge: multicoil", with: "challenge: dualcoil"), file: "bad.yaml"))
        }
    }
}
