import Foundation
import Testing

@testable import MRITraining
import TorchTestSupport

extension TinyFastMRIData {
    /// The tiny VarNet the hybrid recipes freeze, saved once to `varnet.safetensors`.
    func tinyVarNet() throws -> String {
        let path = self.path("varnet.safetensors")
        if !FileManager.default.fileExists(atPath: path) {
            manualSeed(11)
            try VarNet(numCascades: 1, sensChans: 2, sensPools: 1, chans: 4, pools: 1).save(toPath: path)
        }
        return path
    }

    /// A tiny seed-000 recipe (`model` lines may be replaced by tests).
    func hybridRecipeText(output: String, epochs: Int) throws -> String {
        """
        task: reconstruction
        model:
          name: varnet_rcan
          varnet_checkpoint: \(try tinyVarNet())
          varnet: {num_cascades: 1, chans: 4, pools: 1, sens_chans: 2, sens_pools: 1}
          n_feats: 8
          n_resblocks: 1
          n_resgroups: 2
          reduction: 4
          res_scale: 0.125
        \(dataSection)
        training:
          epochs: \(epochs)
          optimizer: {name: adam, lr: 0.001}
          loss: ssim
          seed: 9
        output: \(output)
        """
    }
}

@Suite("Seed 000 VarNet + GRAPPA + RCAN training from a recipe", .serialized)
struct VarNetRCANTrainingTests {
    @Test("trains only the RCAN (checkpointed groups), validates with the flip self-ensemble, resumes to the same weights")
    func trainAndResume() throws {
        let data = try TinyFastMRIData()
        let frozen = try SafeTensors.load(fromPath: data.tinyVarNet())
        let reference = try expectResumeGivesSameWeights(in: data.root.path) { output in
            try VarNetRCANTraining(recipe: VarNetRCANRecipe(RecipeSection(
                yaml: data.hybridRecipeText(output: output, epochs: 2), file: "tiny_rcan.yaml")))
        }
        #expect(reference.recipe.model.selfEnsemble && reference.recipe.model.gradientCheckpointing)
        let metrics = try #require(reference.trainer.history.epochs[1].metrics)
        #expect(Set(metrics.keys) == ["nmse", "psnr", "ssim"] && metrics.values.allSatisfy { $0.isFinite })
        // The VarNet is the checkpoint's, untouched by training; the RCAN moved.
        let trained = reference.model.stateDict()
        for (name, weights) in frozen {
            #expect(maxAbsDifference(try #require(trained["varnet." + name]), weights) == 0, "\(name)")
        }
        let fresh = try VarNetRCANTraining(recipe: VarNetRCANRecipe(RecipeSection(
            yaml: data.hybridRecipeText(output: data.path("fresh"), epochs: 1), file: "tiny_rcan.yaml")))
        #expect(maxAbsDifference(try #require(trained["rcan.tail.0.weight"]),
                                 try #require(fresh.model.stateDict()["rcan.tail.0.weight"])) > 0)
        #expect(reference.trainer.optimizer.paramGroups.flatMap(\.parameters).count
            == fresh.model.stateDict().section("rcan").count)

        // The predictor `mrikit evaluate` uses, on the last checkpoint, scores the validation folder
        // as the last validation did (both with the self-ensemble).
        let predictor = try AnyReconstructionRecipe(RecipeSection(
            yaml: data.hybridRecipeText(output: data.path("unused"), epochs: 2), file: "tiny_rcan.yaml"))
            .trainedPredictor(checkpoint: data.path("straight/last.pt"))
        var report = EvaluationReport()
        try FastMRIVolumes(folder: data.path("val"), mask: predictor.mask).forEach { volume in
            report.add(method: predictor.name, volume: volume.fileName, metrics: try ImageQuality.volumeMetrics(
                target: try #require(volume.target), prediction: predictor(volume)))
        }
        for (name, summary) in report.summary(of: "VarNet+RCAN") {
            // The same float32 network outputs, loaded in another order: a few ulps of each metric.
            #expect(abs(summary.mean - metrics[name]!) <= 1e-6 * max(1, abs(metrics[name]!)), "\(name)")
        }
    }

    @Test("a missing VarNet checkpoint or an RCAN value out of range is refused naming the key")
    func badRecipes() throws {
        let data = try TinyFastMRIData()
        let good = try data.hybridRecipeText(output: data.path("run"), epochs: 1)
        let missing = data.path("missing.pt")
        #expect(throws: RecipeError(file: "bad.yaml", line: 4, key: "model.varnet_checkpoint", value: missing,
                                    allowed: "an existing VarNet checkpoint (.pt or .safetensors)")) {
            _ = try VarNetRCANRecipe(RecipeSection(
                yaml: good.replacingOccurrences(of: try data.tinyVarNet(), with: missing), file: "bad.yaml"))
        }
        #expect(throws: RecipeError(file: "bad.yaml", line: 9, key: "model.reduction", value: "16", allowed: "a value in 1...8")) {
            _ = try VarNetRCANRecipe(RecipeSection(
                yaml: good.replacingOccurrences(of: "reduction: 4", with: "reduction: 16"), file: "bad.yaml"))
        }
    }
}
