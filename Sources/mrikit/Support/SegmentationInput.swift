import ArgumentParser
import Foundation
import MRITraining

/// One case given to `mrikit segment`: its name and one file per input channel.
struct SegmentationInput {
    /// The case's name (the file name without extension and channel suffix).
    let name: String
    /// One file per channel, in channel order.
    let paths: [String]

    /// The raw channels `[C, spatial...]` and, for NIfTI input, the first channel's image (its affine
    /// and spacing go to the label file).
    /// - Throws: `DataError` naming a file that cannot be read or whose shape differs from the first's.
    func read() throws -> (image: Tensor, reference: NIfTIImage?) {
        if Self.isTIFF(paths[0]) {
            return (try TIFFFile.read(from: URL(fileURLWithPath: paths[0])).to(dtype: .float32), nil)
        }
        let images = try paths.map { try NIfTIImage(contentsOf: URL(fileURLWithPath: $0)) }
        for (path, image) in zip(paths, images) where image.data.shape != images[0].data.shape {
            throw DataError(file: path, field: "dim", "has shape \(image.data.shape), \(paths[0]) has \(images[0].data.shape)")
        }
        return (Tensor.stack(images.map(\.data)), images[0])
    }

    /// The cases of `inputs` (files, or folders of NIfTI and TIFF files) for a network of
    /// `channels` input channels: files grouped into cases by nnU-Net's `_0000` suffixes or BraTS's
    /// modality suffixes, as `format` says; for LGG's RGB TIFFs (whose `_mask` files are left out)
    /// and other one-channel networks each file is its own case.
    /// - Throws: `ValidationError` for a missing input or a case missing a channel.
    static func cases(_ inputs: [String], channels: Int, format: SegmentationDataRecipe.Format) throws -> [SegmentationInput] {
        var files: [String] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw ValidationError("\(input): no such file or folder")
            }
            if isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: input).sorted()
                files += names.filter { isImage($0) }.map { URL(fileURLWithPath: input).appendingPathComponent($0).path }
            } else {
                guard isImage(input) else { throw ValidationError("\(input): not a .nii, .nii.gz, .tif or .tiff file") }
                files.append(input)
            }
        }
        guard !files.isEmpty else { throw ValidationError("no .nii, .nii.gz, .tif or .tiff files in \(inputs)") }
        if format == .lgg {
            // kaggle_3m folders hold each slice's ground truth beside it as <slice>_mask.tif.
            return files.filter { !stem($0).hasSuffix("_mask") }.map { SegmentationInput(name: stem($0), paths: [$0]) }
        }
        if channels == 1 && format != .nnunet {
            return files.map { SegmentationInput(name: stem($0), paths: [$0]) }
        }
        let suffixes = format == .nnunet
            ? (0..<channels).map { String(format: "_%04d", $0) }
            : BraTSDataset.defaultModalities.map { "_" + $0 }
        guard suffixes.count == channels else {
            throw ValidationError("the network takes \(channels) channels, BraTS cases have \(suffixes.count) modalities")
        }
        var groups: [String: [Int: String]] = [:]
        for file in files {
            let name = stem(file)
            guard let (channel, suffix) = suffixes.enumerated().first(where: { name.hasSuffix($0.element) }) else {
                throw ValidationError("\(file): the name ends in none of \(suffixes.joined(separator: ", "))")
            }
            groups[String(name.dropLast(suffix.count)), default: [:]][channel] = file
        }
        return try groups.keys.sorted().map { name in
            let paths = try (0..<channels).map { channel in
                guard let path = groups[name]![channel] else {
                    throw ValidationError("case \(name): no file for channel \(suffixes[channel])")
                }
                return path
            }
            return SegmentationInput(name: name, paths: paths)
        }
    }

    private static func isTIFF(_ path: String) -> Bool { path.hasSuffix(".tif") || path.hasSuffix(".tiff") }

    private static func isImage(_ path: String) -> Bool {
        isTIFF(path) || path.hasSuffix(".nii") || path.hasSuffix(".nii.gz")
    }

    /// The file name without its image extension.
    private static func stem(_ path: String) -> String {
        let name = URL(fileURLWithPath: path).lastPathComponent
        for suffix in [".nii.gz", ".nii", ".tiff", ".tif"] where name.hasSuffix(suffix) {
            return String(name.dropLast(suffix.count))
        }
        return name
    }
}
