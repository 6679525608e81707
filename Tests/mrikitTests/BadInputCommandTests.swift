import Foundation
import Testing

@testable import mrikit
import MRITraining

/// MRIData's tiny LGG folder (`Tests/MRIDataTests/Fixtures/make_dataset_fixtures.py`).
private let lggFixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("MRIDataTests/Fixtures/datasets/kaggle_3m")

/// Cuts `file` to its first `bytes` bytes, as an interrupted copy leaves it.
private func truncate(_ file: URL, to bytes: Int) throws {
    let data = try Data(contentsOf: file)
    try data.prefix(bytes).write(to: file)
}

@Suite("mrikit on corrupt input", .serialized)
struct BadInputCommandTests {
    @Test("a truncated fastMRI file is refused before training, naming the file")
    func truncatedFastMRIFile() throws {
        let scratch = try Scratch()
        let data = scratch.path + "/sim"
        try SimulateCommand.parse([
            "--output", data, "--phantom-volumes", "3", "--slices", "2", "--size", "32", "--coils", "4",
            "--split", "0.34,0.33,0.33",
        ]).run()
        let train = URL(fileURLWithPath: data + "/multicoil_train")
        let file = try #require(try FileManager.default.contentsOfDirectory(at: train, includingPropertiesForKeys: nil).first)
        try truncate(file, to: 3000)
        let recipe = try scratch.write("""
            task: reconstruction
            model: {name: varnet, num_cascades: 1, chans: 4, pools: 1, sens_chans: 2, sens_pools: 1}
            data: {train: \(train.path), val: \(data)/multicoil_val, workers: 0}
            training: {epochs: 1, optimizer: {name: adam, lr: 0.001}, loss: l1}
            output: \(scratch.path)/run
            """, to: "varnet.yaml")
        #expect { try TrainCommand.parse([recipe]).run() } throws: { "\($0)".contains(file.lastPathComponent) }
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/run/last.pt"))
    }

    @Test("a corrupt LGG slice stops a run naming it, or is skipped with skip_bad_samples and the run finishes")
    func corruptSliceSkippedOrRefused() throws {
        let scratch = try Scratch()
        let root = scratch.url.appendingPathComponent("kaggle_3m")
        try FileManager.default.copyItem(at: lggFixture, to: root)
        // Every patient has a slice 1: the corrupt slice is in the training split and in validation.
        var corrupted: [String] = []
        for patient in try FileManager.default.contentsOfDirectory(atPath: root.path) where patient.hasPrefix("TCGA") {
            let slice = root.appendingPathComponent("\(patient)/\(patient)_1.tif")
            try truncate(slice, to: 40)
            corrupted.append(slice.lastPathComponent)
        }
        func recipe(skipping: Bool) throws -> String {
            try scratch.write("""
                task: segmentation
                model: {name: unet2d, in_channels: 3, out_channels: 1, depth: 2, filters: 2}
                data: {format: lgg, root: \(root.path), validation: 1, batch_size: 2, workers: 1, skip_bad_samples: \(skipping)}
                training: {epochs: 1, optimizer: {name: sgd, lr: 0.1}, loss: dice_bce}
                output: \(scratch.path)/run-\(skipping)
                """, to: "lgg-\(skipping).yaml")
        }
        #expect { try TrainCommand.parse([try recipe(skipping: false), "--threads", "1"]).run() } throws: { error in
            corrupted.contains { "\(error)".contains($0) }
        }
        try TrainCommand.parse([try recipe(skipping: true), "--threads", "1"]).run()
        let log = try String(contentsOfFile: scratch.path + "/run-true/log.csv", encoding: .utf8)
        #expect(log.split(separator: "\n").count == 2)
    }
}
