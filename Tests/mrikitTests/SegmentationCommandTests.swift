import Foundation
import Testing

@testable import mrikit
@testable import MRITraining
import TorchTestSupport

/// MRIData's test datasets (tiny LGG, BraTS and nnU-Net folders written by
/// `Tests/MRIDataTests/Fixtures/make_dataset_fixtures.py`).
private let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("MRIDataTests/Fixtures/datasets").path

/// Writes an nnU-Net dataset of `cases` 12³ volumes: a bright ball (label 1) and a dimmer box
/// (label 2) at random places in noise, one channel.
private func writeSyntheticNNUNet(to root: String, cases: Int) throws {
    let images = root + "/imagesTr", labels = root + "/labelsTr"
    for folder in [images, labels] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
    try """
        {"channel_names": {"0": "T1"}, "labels": {"background": 0, "ball": 1, "box": 2},
         "numTraining": \(cases), "file_ending": ".nii.gz"}
        """.write(toFile: root + "/dataset.json", atomically: true, encoding: .utf8)
    let generator = Generator(seed: 7)
    let axis = Tensor.arange(12, dtype: .float32)
    let (x, y, z) = (axis.view([12, 1, 1]), axis.view([1, 12, 1]), axis.view([1, 1, 12]))
    for index in 0..<cases {
        let centre = Tensor.randint(low: 3, high: 9, shape: [3], generator: generator).toArray(of: Int64.self).map(Double.init)
        let ball = ((x - centre[0]).square() + (y - centre[1]).square() + (z - centre[2]).square()) .<= 6.25
        let corner = Tensor.randint(low: 0, high: 8, shape: [3], generator: generator).toArray(of: Int64.self).map(Int.init)
        var label = ball.to(dtype: .int64)
        let box = Tensor.zeros([12, 12, 12], dtype: .int64)
        box[corner[0]..<corner[0] + 4, corner[1]..<corner[1] + 4, corner[2]..<corner[2] + 4] = Tensor.ones([4, 4, 4], dtype: .int64)
        label = Tensor.where((box .== 1).logicalAnd(label .== 0), Tensor.full(like: label, 2), label)
        let image = label.to(dtype: .float32) * 100 + Tensor.randn([12, 12, 12], generator: generator) * 20
        let affine = Tensor([2, 0, 0, -10, 0, 2, 0, -20, 0, 0, 3, 5, 0, 0, 0, 1] as [Double], shape: [4, 4])
        let name = String(format: "case_%02d", index)
        try NIfTIImage(data: image, affine: affine).write(to: URL(fileURLWithPath: "\(images)/\(name)_0000.nii.gz"))
        try NIfTIImage(data: label.to(dtype: .uint8), affine: affine).write(to: URL(fileURLWithPath: "\(labels)/\(name).nii.gz"))
    }
}

/// Stops a run with an error once its first epoch (and its checkpoint) is done, as a crash would.
private final class CrashAfterFirstEpoch: TrainingObserver {
    struct Crash: Error {}
    func trainingDidFinishEpoch(_ record: EpochRecord, history: TrainingHistory) throws { throw Crash() }
}

@Suite("mrikit train/segment for segmentation recipes", .serialized)
struct SegmentationCommandTests {
    @Test("a 3-D SegResNet learns a synthetic nnU-Net dataset; segment writes label NIfTIs with the input's affine")
    func nnUNetWorkflow() throws {
        let scratch = try Scratch()
        let data = scratch.path + "/Dataset001_Synthetic"
        try writeSyntheticNNUNet(to: data, cases: 5)
        let recipe = try scratch.write("""
            task: segmentation
            model: {name: segresnet, in_channels: 1, out_channels: 3, init_filters: 8, blocks_down: [1, 1, 1], blocks_up: [1, 1]}
            data: {format: nnunet, root: \(data), validation: 1, patch_size: [8, 8, 8], batch_size: 4, workers: 0,
                   augment: {flip: 0.5}}
            inference: {overlap: 0.5, blending: gaussian}
            training: {epochs: 30, optimizer: {name: adam, lr: 0.01}, loss: dice_ce}
            output: \(scratch.path)/run
            """, to: "nnunet.yaml")
        // One thread: the step is tiny, and OpenMP's spinning threads crawl on a busy machine.
        try TrainCommand.parse([recipe, "--threads", "1"]).run()
        let parsed = try SegmentationRecipe(try RecipeSection(contentsOfFile: recipe))
        let training = try SegmentationTraining(recipe: parsed)
        try training.network.module.loadWeights(fromPath: scratch.path + "/run/best.pt")
        _ = training.network.module.eval()
        let report = try training.predictor.evaluate(training.source.validation, method: "net")
        let dice = report.summary(of: "net")
        // Both structures are intensity steps in noise: an untrained network scores about 0.1, one
        // that learned them (0.72 and 0.81 after 27 epochs in a run of this test's recipe) over 0.5.
        #expect(dice["dice_ball"]!.mean > 0.5)
        #expect(dice["dice_box"]!.mean > 0.5)
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/run/samples/epoch_030.png"))

        try EvaluateCommand.parse([
            "--recipe", recipe, "--checkpoint", scratch.path + "/run/best.pt", "--output", scratch.path + "/evaluation",
        ]).run()
        let csv = try String(contentsOfFile: scratch.path + "/evaluation.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "method,volume,dice,dice_ball,dice_box,hd95_ball,hd95_box")
        #expect(csv.count == 2)  // one validation case
        #expect(csv.last?.split(separator: ",")[3] == "\(dice["dice_ball"]!.mean)")

        try SegmentCommand.parse([
            "--recipe", recipe, "--checkpoint", scratch.path + "/run/best.pt", "--output", scratch.path + "/out",
            data + "/imagesTr",
        ]).run()
        let written = try NIfTIImage(contentsOf: URL(fileURLWithPath: scratch.path + "/out/case_00_label.nii.gz"))
        let input = try NIfTIImage(contentsOf: URL(fileURLWithPath: data + "/imagesTr/case_00_0000.nii.gz"))
        #expect(written.data.shape == [12, 12, 12])
        #expect(maxAbsDifference(written.affine, input.affine) == 0)
        #expect(Set(written.data.flatten().toArray(of: Float.self)).isSubset(of: [0, 1, 2]))
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/out/case_00_overlay.png"))
    }

    @Test("seed 004's LGG recipe trains, and a run resumed after an interrupt ends with the same weights")
    func lggResumeIsExact() throws {
        let scratch = try Scratch()
        func recipe(_ name: String) throws -> String {
            try scratch.write("""
                task: segmentation
                model: {name: unet2d, in_channels: 3, out_channels: 1, depth: 2, filters: 2, dropout: 0.3}
                data: {format: lgg, root: \(datasets)/kaggle_3m, validation: 1, sampling: lesion_weighted,
                       batch_size: 2, workers: 1, augment: {rotate: 15, scale: 0.05, flip: 0.5}}
                loss: {dice_weight: 0.3, smooth: 1, batch: true}
                training: {epochs: 2, optimizer: {name: sgd, lr: 0.1, momentum: 0.9},
                           schedule: {name: one_cycle, max_lr: 0.1}, loss: dice_bce, keep_epoch_checkpoints: true}
                output: \(scratch.path)/\(name)
                """, to: "\(name).yaml")
        }
        try TrainCommand.parse([try recipe("whole")]).run()
        let interrupted = try recipe("interrupted")
        let crashing = try SegmentationTraining(recipe: try SegmentationRecipe(try RecipeSection(contentsOfFile: interrupted)))
        crashing.trainer.observers = [CrashAfterFirstEpoch()]
        #expect(throws: CrashAfterFirstEpoch.Crash.self) { try crashing.run() }
        try TrainCommand.parse([interrupted, "--resume"]).run()
        let whole = try TorchCheckpoint.load(fromPath: scratch.path + "/whole/last.pt").section("model")
        let resumed = try TorchCheckpoint.load(fromPath: scratch.path + "/interrupted/last.pt").section("model")
        #expect(whole.keys.sorted() == resumed.keys.sorted())
        for key in whole.keys { #expect(maxAbsDifference(whole[key]!, resumed[key]!) == 0, "\(key)") }
        let kept = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/whole").filter { $0.hasSuffix(".pt") }
        #expect(kept.sorted() == ["best.pt", "epoch_001.pt", "epoch_002.pt", "last.pt"])

        try SegmentCommand.parse([
            "--recipe", interrupted, "--checkpoint", scratch.path + "/interrupted/best.pt", "--output",
            scratch.path + "/out", "--flip-ensemble", "\(datasets)/kaggle_3m/TCGA_CS_4941_19960909",
        ]).run()
        let outputs = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/out").sorted()
        #expect(outputs.count == 6)  // three slices (the _mask.tif ground truths are left out), mask + overlay each
        let mask = try PNGFile.read(from: scratch.url.appendingPathComponent("out/TCGA_CS_4941_19960909_1_mask.png"))
        #expect(mask.shape == [1, 8, 8])
    }

    @Test("seed 002's SegResNet-VAE trains on BraTS cases with the paper's VAE loss")
    func bratsSegResNetVAE() throws {
        let scratch = try Scratch()
        let recipe = try scratch.write("""
            task: segmentation
            model: {name: segresnet_vae, in_channels: 4, out_channels: 3, init_filters: 8, blocks_down: [1, 1],
                    blocks_up: [1], vae_estimate_std: true, vae_loss: paper, dropout: 0.2}
            data: {format: brats, root: \(datasets)/brats, validation: 1, patch_size: [4, 4, 4], workers: 0}
            training: {epochs: 2, optimizer: {name: adam, lr: 0.001}, loss: dice}
            output: \(scratch.path)/run
            """, to: "brats.yaml")
        try TrainCommand.parse([recipe]).run()
        let log = try String(contentsOfFile: scratch.path + "/run/log.csv", encoding: .utf8)
        #expect(log.split(separator: "\n").first?.contains("dice_ET") == true)
        #expect(log.split(separator: "\n").count == 3)
    }

    @Test("recipes that do not fit their data are refused naming the key")
    func badRecipes() throws {
        let scratch = try Scratch()
        func parse(_ text: String) throws {
            let path = try scratch.write(text, to: "bad.yaml")
            _ = try SegmentationTraining(recipe: try SegmentationRecipe(try RecipeSection(contentsOfFile: path)))
        }
        let lgg = "data: {format: lgg, root: \(datasets)/kaggle_3m, validation: 1}\noutput: \(scratch.path)/run\n"
        let training = "training: {epochs: 1, optimizer: {name: adam, lr: 0.001}}\n"
        #expect {
            try parse("task: segmentation\nmodel: {name: unet2d, in_channels: 3, out_channels: 2}\n" + lgg + training)
        } throws: { "\($0)".contains("model.out_channels") && "\($0)".contains("1 for lgg") }
        #expect {
            try parse("task: segmentation\nmodel: {name: unet2d, in_channels: 3, out_channels: 1, chans: 4}\n" + lgg + training)
        } throws: { "\($0)".contains("chans") }
        #expect {
            try parse("task: segmentation\nmodel: {name: basic_unet, in_channels: 3, out_channels: 1}\n" + lgg + training)
        } throws: { "\($0)".contains("spatial_dims") }
        #expect {
            try parse("""
                task: segmentation
                model: {name: vnet, in_channels: 4, out_channels: 3}
                data: {format: brats, root: \(datasets)/brats, validation: 1, patch_size: [12, 12, 12]}
                output: x
                """ + "\n" + training)
        } throws: { "\($0)".contains("patch_size") && "\($0)".contains("multiple of 16") }
    }

    @Test("seed 004's dice_bce loss is 0.3 · (1 − (2Σpt + 1)/(Σp + Σt + 1)) + 0.7 · BCE over the flattened batch")
    func seedLossFormula() throws {
        let scratch = try Scratch()
        let path = try scratch.write("""
            task: segmentation
            model: {name: unet2d, in_channels: 3, out_channels: 1, depth: 2, filters: 2}
            data: {format: lgg, root: \(datasets)/kaggle_3m, validation: 1}
            loss: {dice_weight: 0.3, smooth: 1, batch: true}
            training: {epochs: 1, optimizer: {name: sgd, lr: 0.1}, loss: dice_bce}
            output: \(scratch.path)/run
            """, to: "lgg.yaml")
        let training = try SegmentationTraining(recipe: try SegmentationRecipe(try RecipeSection(contentsOfFile: path)))
        let generator = Generator(seed: 3)
        let probabilities = Tensor.rand([2, 1, 8, 8], dtype: .float64, generator: generator) * 0.98 + 0.01
        let target = (Tensor.rand([2, 1, 8, 8], dtype: .float64, generator: generator) .> 0.6).to(dtype: .float64)
        let loss = training.makeLoss()(probabilities, target).item(Double.self)
        let p = probabilities.flatten().toArray(of: Double.self), t = target.flatten().toArray(of: Double.self)
        let intersection = zip(p, t).map(*).reduce(0, +)
        let dice = 1 - (2 * intersection + 1) / (p.reduce(0, +) + t.reduce(0, +) + 1)
        let bce = zip(p, t).map { -($1 * log($0) + (1 - $1) * log(1 - $0)) }.reduce(0, +) / Double(p.count)
        #expect(abs(loss - (0.3 * dice + 0.7 * bce)) < 1e-12)
    }

    @Test("the checked-in segmentation recipes parse, and seed 002's builds the paper's network",
          arguments: ["lgg_unet2d", "brats_segresnet_vae", "vnet_spleen"])
    func checkedInRecipes(name: String) throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var text = try String(contentsOf: repository.appendingPathComponent("recipes/\(name).yaml"), encoding: .utf8)
        // The recipes name the real downloads; MRIData's tiny copies stand in for them here.
        let stand = ["lgg": "kaggle_3m", "brats": "brats", "nnunet": "Dataset005_Prostate"]
        let format = try #require(stand.keys.first { text.contains("format: \($0)\n") })
        text = text.replacingOccurrences(
            of: #"root: \S+"#, with: "root: \(datasets)/\(stand[format]!)", options: .regularExpression)
        let recipe = try SegmentationRecipe(try RecipeSection(yaml: text, file: name))
        #expect(recipe.output == "runs/\(name)")
        if name == "brats_segresnet_vae" {
            let network = try recipe.model.make(patchSize: recipe.data.patchSize)
            #expect(network.module.parameterCount == SegResNetVAE.myronenko2018().parameterCount)
        }
    }
}
