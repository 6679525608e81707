import Foundation
import Testing

@testable import MRITraining
import TorchTestSupport

/// A tiny `cine.npz` (7 sequences of 4 frames of 16×16, a phantom slab with a phase that moves
/// from frame to frame) in a temporary folder.
private final class TinyCineData {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mrikit-cine-\(UUID().uuidString)")
    var npz: String { root.appendingPathComponent("cine.npz").path }

    init() throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let slabs = try Phantoms.sheppLogan3D([7 + 4, 16, 16])
        let sequences = (0..<7).map { sample in
            Tensor.stack((0..<4).map { frame in
                let magnitude = slabs[sample + frame]
                let phase = Tensor.full(like: magnitude, 0.3 * Double(frame + sample))
                return Tensor.polar(abs: magnitude, angle: phase)
            })
        }
        try NumPyFile.write(["dataset": Tensor.stack(sequences)], to: URL(fileURLWithPath: npz))
    }

    /// A tiny seed-001 recipe (warm-up for all epochs but the last); `model` is the model section's mapping.
    func recipeText(output: String, epochs: Int, warmupEpochs: Int? = nil, model: String = "{name: cine_unet_resnet, init_features: 4, num_pool_layers: 2, n_feats: 4, n_resblocks: 1}") -> String {
        """
        task: reconstruction
        model: \(model)
        data: {path: \(npz), acceleration: 2, sample_n: 4, split: [4, 1, 2], batch_size: 2, workers: 2}
        training:
          epochs: \(epochs)
          optimizer: {name: adam, lr: 0.001, weight_decay: 0.0001}
          schedule: {name: warmup_cosine, warmup_epochs: \(warmupEpochs ?? epochs - 1)}
          loss: mse
          seed: 4
        output: \(output)
        """
    }

    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: root) }
}

@Suite("Seed 001 cine training from a recipe", .serialized)
struct CineTrainingTests {
    @Test("trains U-Net+ResNet on a tiny cine.npz, writes the test folders and output.txt, and resumes to the same weights")
    func trainAndResume() throws {
        let data = try TinyCineData()
        let reference = try expectResumeGivesSameWeights(in: data.root.path) { output in
            try #require(try CineRecipe(RecipeSection(
                yaml: data.recipeText(output: output, epochs: 2), file: "tiny_cine.yaml")).makeTraining()
                as? CineTraining<CineUNetResNet>)
        }
        let metrics = try #require(reference.trainer.history.epochs[1].metrics)
        #expect(Set(metrics.keys) == ["val_loss", "psnr", "ssim"])
        let run = data.path("straight")
        for kind in ["undersampled", "fully_sampled", "reconstructed"] {
            // The 4:1:2 split of 7 sequences leaves 2 for testing.
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(run)/test/\(kind)").sorted()
                == ["sequence_000.png", "sequence_001.png"])
        }
        let lines = try String(contentsOfFile: run + "/output.txt", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4)
        for (line, name) in zip(lines.dropFirst(), ["loss", "psnr", "ssim"]) {
            let fields = line.split(separator: " ")
            #expect(fields.first == "\(name):")
            #expect(fields.count == 5 && Double(fields[2])?.isFinite == true && Double(fields[4])?.isFinite == true, "\(line)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: run + "/samples").sorted() == ["epoch_001.png", "epoch_002.png"])
    }

    @Test("output.txt holds the mean and sample standard deviation of the per-sequence test metrics")
    func outputSummary() throws {
        let data = try TinyCineData()
        let training = try CineRecipe(RecipeSection(
            yaml: data.recipeText(output: data.path("run"), epochs: 1), file: "tiny_cine.yaml")).makeTraining()
        try training.run()
        let csv = try String(contentsOfFile: data.path("run/test/metrics.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        let header = csv.split(separator: "\n")[0].split(separator: ",").map(String.init)
        let psnrColumn = try #require(header.firstIndex(of: "psnr"))
        let psnr = rows.map { Double($0[psnrColumn])! }
        let mean = psnr.reduce(0, +) / Double(psnr.count)
        let std = (psnr.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(psnr.count - 1)).squareRoot()
        let text = try String(contentsOfFile: data.path("run/output.txt"), encoding: .utf8)
        let fields = try #require(text.split(separator: "\n").first { $0.hasPrefix("psnr:") }).split(separator: " ")
        // The CSV prints four significant digits: the mean to 1e-3 relative, the spread of two
        // values to a few 1e-3 dB.
        #expect(abs(Double(fields[2])! - mean) <= 1e-3 * abs(mean))
        #expect(abs(Double(fields[4])! - std) <= 0.01)
    }

    @Test("DC-CNN is the alternative model name")
    func dccnn() throws {
        let data = try TinyCineData()
        let training = try CineRecipe(RecipeSection(
            yaml: data.recipeText(output: data.path("run"), epochs: 1, model: "{name: dccnn, nc: 2, nd: 2, nf: 4}"),
            file: "tiny_cine.yaml")).makeTraining()
        #expect(training.modelName == "DC-CNN")
        let history = try training.run()
        #expect(history.epochs[0].metrics?.values.allSatisfy { $0.isFinite } == true)
        #expect(FileManager.default.fileExists(atPath: data.path("run/output.txt")))
    }

    @Test("a bad split, kernel size or key is refused naming the key; a warm-up as long as the run is refused")
    func badRecipes() throws {
        let data = try TinyCineData()
        #expect(throws: TrainingError.self) {
            _ = try CineRecipe(RecipeSection(yaml: data.recipeText(output: data.path("run"), epochs: 1, warmupEpochs: 1),
                                             file: "tiny_cine.yaml")).makeTraining()
        }
        let good = data.recipeText(output: data.path("run"), epochs: 1)
        #expect(throws: RecipeError(file: "bad.yaml", line: 3, key: "data.split", value: "[4.0, 1.0]",
                                    allowed: "three positive ratios: train, validation, test")) {
            _ = try CineRecipe(RecipeSection(yaml: good.replacingOccurrences(of: "[4, 1, 2]", with: "[4, 1]"), file: "bad.yaml"))
        }
        #expect(throws: RecipeError(file: "bad.yaml", line: 2, key: "model.ks", value: "4", allowed: "an odd kernel size")) {
            _ = try CineRecipe(RecipeSection(
                yaml: data.recipeText(output: "/tmp/x", epochs: 1, model: "{name: dccnn, ks: 4}"), file: "bad.yaml"))
        }
        #expect(throws: RecipeError(file: "bad.yaml", line: 2, key: "model.name", value: "cine_vnet",
                                    allowed: "one of cine_unet_resnet, dccnn")) {
            _ = try CineRecipe(RecipeSection(
                yaml: data.recipeText(output: "/tmp/x", epochs: 1, model: "{name: cine_vnet}"), file: "bad.yaml"))
        }
    }
}
