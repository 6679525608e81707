import ArgumentParser
import Foundation
import MRITraining

/// `mrikit evaluate`: per-volume NMSE, PSNR and SSIM of several methods side by side on a fastMRI
/// folder, as fastMRI's `evaluate.py` computes them; or, for a segmentation recipe, Dice and HD95
/// per case of its validation split.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Compare zero-filled, GRAPPA, SENSE, CS and a trained network (VarNet, U-Net, VarNet+RCAN) on fastMRI files "
            + "with targets, or score a trained segmentation network.",
        discussion: """
            Reconstruction: slices are undersampled by the file-name-seeded mask (fastMRI's validation masks). \
            Metrics are per volume (data range: the volume's maximum).

            Segmentation (a recipe with task: segmentation): the recipe's validation split, predicted whole \
            (sliding windows for 3-D); Dice and the 95th-percentile Hausdorff distance (voxels) per region or \
            class and case, with MONAI's rules (empty truth: Dice NaN, left out of the mean).

            Either way the per-case rows are summarised as mean ± std; the table is printed and written to \
            <output>.csv and <output>.json.
            """)

    @Option(help: "A folder of fastMRI multi-coil files with reconstruction_rss (reconstruction only).")
    var data: String?
    @Option(help: "Classic methods, comma-separated (zero-filled, GRAPPA, SENSE, CS).")
    var methods = "zero-filled,GRAPPA,SENSE,CS"
    @Option(help: "A recipe whose model and mask to use (its mask also undersamples the classic methods).")
    var recipe: String?
    @Option(help: "The network's weights: a training checkpoint (best.pt) or a fastMRI state dict.") var checkpoint: String?
    @Option(help: "Mask type when no recipe is given.") var mask = "equispaced_fraction"
    @Option(help: "Acceleration when no recipe is given.") var acceleration = 4
    @Option(help: "Centre fraction when no recipe is given.") var centerFraction = 0.08
    @Option(help: "Report path without extension.") var output = "evaluation"

    func run() throws {
        if let recipe, try RecipeSection(contentsOfFile: recipe).string("task") == "segmentation" {
            guard let checkpoint else { throw ValidationError("--recipe needs --checkpoint (the trained weights)") }
            return try evaluateSegmentation(recipe: recipe, checkpoint: checkpoint)
        }
        guard let data else { throw ValidationError("--data: the fastMRI folder to evaluate") }
        let classic = try methods.split(separator: ",").map { name in
            guard let method = ClassicReconstruction(rawValue: String(name)) else {
                throw ValidationError("--methods: unknown '\(name)' (have \(ClassicReconstruction.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return method
        }
        var maskRecipe = MaskRecipe(
            kind: MaskRecipe.Kind(rawValue: mask) ?? .equispacedFraction, centerFractions: [centerFraction],
            accelerations: [acceleration])
        var network: ReconstructionPredictor?
        if let recipe {
            guard let checkpoint else { throw ValidationError("--recipe needs --checkpoint (the trained weights)") }
            network = try AnyReconstructionRecipe(try RecipeSection(contentsOfFile: recipe)).trainedPredictor(checkpoint: checkpoint)
            maskRecipe = network?.mask ?? maskRecipe
        }
        var report = EvaluationReport()
        try FastMRIVolumes(folder: data, mask: maskRecipe).forEach { volume in
            guard let target = volume.target else {
                throw DataError(file: volume.fileName, field: "reconstruction_rss", "missing: a test file cannot be evaluated")
            }
            let size = Array(target.shape.suffix(2))
            for method in classic {
                let images = try volume.slices.map { try centerCrop(method.reconstruct($0.maskedKSpace, mask: $0.mask), shape: size) }
                report.add(method: method.rawValue, volume: volume.fileName,
                           metrics: try ImageQuality.volumeMetrics(target: target, prediction: Tensor.cat(images)))
            }
            if let network {
                report.add(method: network.name, volume: volume.fileName,
                           metrics: try ImageQuality.volumeMetrics(target: target, prediction: network(volume)))
            }
            print("evaluated \(volume.fileName) (\(volume.slices.count) slices)")
        }
        try publish(report)
    }

    private func evaluateSegmentation(recipe: String, checkpoint: String) throws {
        let parsed = try SegmentationRecipe(try RecipeSection(contentsOfFile: recipe))
        let predictor = try parsed.trainedPredictor(checkpoint: checkpoint)
        let cases = try SegmentationSource(parsed.data, seed: parsed.training.seed).validation
        print("evaluating \(parsed.model.name.rawValue) on \(Set(cases.groups).count) validation cases")
        try publish(try predictor.evaluate(cases, method: parsed.model.name.rawValue, surfaceDistances: true))
    }

    private func publish(_ report: EvaluationReport) throws {
        print(report.table())
        try report.write(stem: output)
        print("per-case metrics: \(output).csv, \(output).json")
    }
}

/// `mrikit reconstruct`: a trained network on fastMRI files, written as fastMRI submission files.
struct ReconstructCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconstruct",
        abstract: "Reconstruct fastMRI files with a trained VarNet, U-Net or VarNet+RCAN into submission HDF5 files.",
        discussion: """
            Test files are reconstructed under their own mask; other files under the recipe's mask seeded \
            by the file name. Each output file holds `reconstruction` [slices, h, w] cropped to the recon size.
            """)

    @Option(help: "The recipe the network was trained with.") var recipe: String
    @Option(help: "The weights: a training checkpoint (best.pt) or a fastMRI state dict.") var checkpoint: String
    @Option(help: "A folder of fastMRI multi-coil files.") var data: String
    @Option(help: "The folder the submission files go to.") var output: String
    @Flag(help: "Also write each volume as <name>.nii.gz (voxels: column, row, slice; unit spacing).") var nifti = false
    @Flag(help: "Also write each volume's middle slice as <name>.png (8-bit, 0 to the volume's maximum).") var png = false

    func run() throws {
        let network = try AnyReconstructionRecipe(try RecipeSection(contentsOfFile: recipe))
            .trainedPredictor(checkpoint: checkpoint)
        try FastMRIVolumes(folder: data, mask: network.mask).forEach { volume in
            let images = try network(volume)
            try FastMRISubmission.save([volume.fileName: images], to: output)
            let stem = URL(fileURLWithPath: output).appendingPathComponent(
                volume.fileName.hasSuffix(".h5") ? String(volume.fileName.dropLast(3)) : volume.fileName)
            if nifti {
                try NIfTIImage(data: images.permute([2, 1, 0])).write(to: stem.appendingPathExtension("nii.gz"))
            }
            if png {
                let middle = images[images.size(0) / 2]
                let peak = max(images.max().item(Double.self), .leastNonzeroMagnitude)
                try PNGFile.write((middle / peak * 255).clamp(min: 0, max: 255).round().to(dtype: .uint8).unsqueeze(0),
                                  to: stem.appendingPathExtension("png"))
            }
            print("\(output)/\(volume.fileName): \(volume.slices.count) slices")
        }
    }
}
