import ArgumentParser
import Foundation
import MRITraining

/// `mrikit segment`: a trained segmentation network on NIfTI volumes or TIFF slices, written as
/// label files and overlay PNGs.
struct SegmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Segment NIfTI volumes or TIFF slices with a network trained from a segmentation recipe.",
        discussion: """
            Inputs are files or folders of .nii, .nii.gz, .tif and .tiff files. A network with several input \
            channels takes one file per channel, grouped into cases by name: nnU-Net's <case>_0000.nii.gz, \
            <case>_0001.nii.gz, ... or BraTS's <case>_t1.nii.gz, _t1ce, _flair, _t2 (the recipe's data format \
            says which). Images are normalised as the recipe's training data was; 3-D networks predict by \
            sliding windows of the recipe's patch size with Gaussian blending, 2-D networks slice by slice. \
            For each case the output folder receives <case>_label.nii.gz (same affine as the input; BraTS \
            regions as labels 1, 2, 4) or, for TIFF input, <case>_mask.png, and <case>_overlay.png.
            """)

    @Option(help: "The segmentation recipe the network was trained with.") var recipe: String
    @Option(help: "The weights: a training checkpoint (best.pt) or a state dict (.pt, .safetensors).")
    var checkpoint: String
    @Argument(help: "Input files or folders.") var inputs: [String]
    @Option(help: "The folder the label files and overlays go to.") var output: String
    @Option(help: "Sliding-window overlap (default: the recipe's, else 0.5).") var overlap: Double?
    @Option(help: "Windows per network call (default: the recipe's, else 1).") var windowBatchSize: Int?
    @Flag(help: "Average the predictions of every flipped input (test-time augmentation).") var flipEnsemble = false
    @Option(help: "CPU threads (0: libtorch's default).") var threads = 0

    func validate() throws {
        if let overlap, !(0..<1).contains(overlap) { throw ValidationError("--overlap must be in [0, 1), got \(overlap)") }
        if let windowBatchSize, windowBatchSize < 1 { throw ValidationError("--window-batch-size must be positive") }
    }

    func run() throws {
        if threads > 0 { Runtime.threadCount = threads }
        var parsed = try SegmentationRecipe(try RecipeSection(contentsOfFile: recipe))
        if let overlap { parsed.inference.overlap = overlap }
        if let windowBatchSize { parsed.inference.windowBatchSize = windowBatchSize }
        if flipEnsemble { parsed.inference.flipEnsemble = true }
        let predictor = try parsed.trainedPredictor(checkpoint: checkpoint)
        let cases = try SegmentationInput.cases(inputs, channels: parsed.model.inChannels, format: parsed.data.format)
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        for item in cases {
            try segment(item, predictor: predictor, recipe: parsed)
        }
    }

    private func segment(_ item: SegmentationInput, predictor: SegmentationPredictor, recipe: SegmentationRecipe) throws {
        let started = ContinuousClock.now
        let (image, reference) = try item.read()
        guard image.shape[0] == recipe.model.inChannels else {
            throw DataError(file: item.paths[0], field: "channels",
                            "has \(image.shape[0]), the network takes \(recipe.model.inChannels)")
        }
        let input = SegmentationSource.normalize(image, format: recipe.data.format)
        let masks: Tensor
        if recipe.model.spatialDims == 2 && input.rank == 4 {
            // A 2-D network on a volume: its slices along the last axis.
            masks = predictor.masks(ofSlices: input)
        } else {
            guard input.rank == recipe.model.spatialDims + 1 else {
                throw DataError(file: item.paths[0], field: "dim",
                                "has shape \(image.shape), not \(recipe.model.spatialDims)-D images for \(recipe.model.name.rawValue)")
            }
            masks = predictor.masks(fromProbabilities: predictor.probabilities(input.unsqueeze(0)))[0]
        }
        let labels = predictor.kind.labelMap(masks.unsqueeze(0))[0]
        let folder = URL(fileURLWithPath: output)
        let written: URL
        if let reference {
            written = folder.appendingPathComponent(item.name + "_label.nii.gz")
            try NIfTIImage(data: labels.to(dtype: .uint8), affine: reference.affine, spacing: Array(reference.spacing.prefix(3)))
                .write(to: written)
        } else {
            written = folder.appendingPathComponent(item.name + "_mask.png")
            try PNGFile.write(((labels .> 0).to(dtype: .uint8) * 255).unsqueeze(0), to: written)
        }
        let overlay = SegmentationOverlay.volumePanel(
            image: input[0], truth: nil, prediction: labels, predictionTitle: recipe.model.name.rawValue)
        try PNGFile.write(overlay, to: folder.appendingPathComponent(item.name + "_overlay.png"))
        let seconds = (ContinuousClock.now - started).components.seconds
        print("\(item.name): \(written.lastPathComponent), \(item.name)_overlay.png (\(seconds) s)")
    }
}
