import Foundation

/// The BraTS brain-tumour data set: one folder per case, `<case>/<case>_t1.nii.gz`, `_t1ce`,
/// `_t2`, `_flair` and the segmentation `_seg.nii.gz` (`.nii` also accepted), as seed 002
/// (after Isensee's BraTS 2017 code) lists them.
///
/// A sample is the four modalities z-score normalised on the brain and the labels converted to
/// the tumour regions (``BraTSSample``), optionally randomly cropped. Reading NIfTI is slow:
/// ``writeCache(to:compressionLevel:)`` packs the preprocessed cases into one HDF5 file that
/// ``BraTSCacheDataset`` reads, as seed 002 does.
public struct BraTSDataset: GroupedDataset {
    /// One case's files.
    public struct Case: Sendable, Equatable {
        /// The case's folder name (e.g. `BraTS19_2013_10_1`), the group of splits.
        public var name: String
        /// One image path per modality, in the dataset's modality order.
        public var imagePaths: [String]
        /// The segmentation's path.
        public var labelPath: String
    }

    /// Seed 002's modalities, in its channel order.
    public static let defaultModalities = ["t1", "t1ce", "flair", "t2"]

    /// The cases, in sample order (by folder name).
    public let cases: [Case]
    /// The modality suffixes read, one channel each.
    public let modalities: [String]
    /// The size of random crops, one per spatial dimension, or `nil` for whole volumes.
    public let cropSize: [Int]?

    /// The case folders in `root` (other files are ignored).
    ///
    /// - Parameters:
    ///   - modalities: the file suffixes of the channels, in order.
    ///   - cropSize: random crops of this size (``RandomSpatialCrop``), or `nil` for whole volumes.
    /// - Throws: `DataError` naming `root` when it cannot be listed, or naming a case's missing
    ///   file (field: the modality, or `seg`).
    public init(root: String, modalities: [String] = defaultModalities, cropSize: [Int]? = nil) throws {
        let rootURL = URL(fileURLWithPath: root)
        var cases: [Case] = []
        for name in try DatasetFolder.listing(root).sorted() {
            let folder = rootURL.appendingPathComponent(name)
            guard DatasetFolder.isFolder(folder.path) else { continue }
            func file(_ suffix: String) throws -> String {
                let base = folder.appendingPathComponent("\(name)_\(suffix)").path
                let candidates = [".nii.gz", ".nii"].map { base + $0 }
                guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) })
                else { throw DataError(file: base + ".nii.gz", field: suffix, "is missing from case \(name)") }
                return path
            }
            cases.append(Case(name: name, imagePaths: try modalities.map(file), labelPath: try file("seg")))
        }
        self.cases = cases
        self.modalities = modalities
        self.cropSize = cropSize
    }

    public var count: Int { cases.count }

    /// Each case is its own group.
    public var groupKeys: [String] { cases.map(\.name) }

    /// Case `index`, whole (or cropped with a generator seeded 0 when `cropSize` is set).
    public func sample(at index: Int) throws -> BraTSSample {
        try sample(at: index, generator: Generator(seed: 0))
    }

    /// Case `index`, randomly cropped to `cropSize` with `generator` when it is set.
    /// - Throws: as ``preprocessedCase(at:)``, or naming the segmentation when the volume is
    ///   smaller than the crop.
    public func sample(at index: Int, generator: Generator) throws -> BraTSSample {
        try preprocessedCase(at: index)
            .randomlyCropped(to: cropSize, generator: generator, file: cases[index].labelPath)
    }

    /// Case `index`, whole: the modalities stacked `[C, X, Y, Z]` (the files' voxel axes) and
    /// normalised on their non-zero voxels, channel by channel (MONAI's
    /// `NormalizeIntensity(nonzero=True, channel_wise=True)`), and the regions of the labels.
    /// - Throws: `DataError` naming the file for an unreadable NIfTI, a volume that is not 3-D
    ///   or not the shape of the others (field `dim`), or labels other than 0, 1, 2 and 4 (field `labels`).
    public func preprocessedCase(at index: Int) throws -> BraTSSample {
        let entry = cases[index]
        let labels = try NIfTIImage(contentsOf: URL(fileURLWithPath: entry.labelPath)).data
        guard labels.rank == 3 else {
            throw DataError(file: entry.labelPath, field: "dim", "has shape \(labels.shape), not a 3-D volume")
        }
        let images = try entry.imagePaths.map { path in
            let image = try NIfTIImage(contentsOf: URL(fileURLWithPath: path)).data
            guard image.shape == labels.shape else {
                throw DataError(
                    file: path, field: "dim", "has shape \(image.shape), but the segmentation has \(labels.shape)")
            }
            return image
        }
        let regions = try BraTSSample.regions(labels, file: entry.labelPath)
        return BraTSSample(
            image: Intensity.normalize(Tensor.stack(images), nonzero: true, channelWise: true), label: regions)
    }

    /// Writes every case, preprocessed (``preprocessedCase(at:)``), to one HDF5 file at `path`
    /// (atomically): `cases` (the names, one a line), `<case>/image` float32 `[C, X, Y, Z]` and
    /// `<case>/label` uint8 `[3, X, Y, Z]`, each case chunked whole and gzipped at
    /// `compressionLevel` when given.
    /// - Throws: `DataError` for a bad case or a file that cannot be written.
    public func writeCache(to path: String, compressionLevel: Int? = nil) throws {
        try HDF5File.create(at: path) { file in
            try file.write(BraTSCacheDataset.casesField, string: cases.map(\.name).joined(separator: "\n"))
            for (index, entry) in cases.enumerated() {
                let sample = try preprocessedCase(at: index)
                try file.write(
                    "\(entry.name)/image", sample.image, chunks: compressionLevel.map { _ in sample.image.shape },
                    compressionLevel: compressionLevel)
                try file.write(
                    "\(entry.name)/label", sample.label.to(dtype: .uint8),
                    chunks: compressionLevel.map { _ in sample.label.shape }, compressionLevel: compressionLevel)
            }
        }
    }
}

/// BraTS cases preprocessed into one HDF5 file by ``BraTSDataset/writeCache(to:compressionLevel:)``.
public struct BraTSCacheDataset: GroupedDataset {
    static let casesField = "cases"

    /// The cache file.
    public let file: HDF5File
    /// The case names, in sample order.
    public let names: [String]
    /// The size of random crops, one per spatial dimension, or `nil` for whole volumes.
    public let cropSize: [Int]?

    /// The cases of the cache at `path`.
    /// - Throws: `DataError` naming the file when it cannot be opened or has no `cases` list.
    public init(path: String, cropSize: [Int]? = nil) throws {
        file = try HDF5File(reading: path)
        names = try file.readString(Self.casesField).split(separator: "\n").map(String.init)
        self.cropSize = cropSize
    }

    public var count: Int { names.count }

    /// Each case is its own group.
    public var groupKeys: [String] { names }

    /// Case `index`, whole (or cropped with a generator seeded 0 when `cropSize` is set).
    public func sample(at index: Int) throws -> BraTSSample {
        try sample(at: index, generator: Generator(seed: 0))
    }

    /// Case `index`, randomly cropped to `cropSize` with `generator` when it is set.
    /// - Throws: `DataError` naming the file and the case's dataset when it is missing or the
    ///   image and label shapes differ.
    public func sample(at index: Int, generator: Generator) throws -> BraTSSample {
        let name = names[index]
        let image = try file.read("\(name)/image")
        let label = try file.read("\(name)/label")
        guard image.rank == 4, label.shape == [3] + image.shape.dropFirst() else {
            throw DataError(
                file: file.path, field: "\(name)/label", "has shape \(label.shape), its image \(image.shape)")
        }
        return try BraTSSample(image: image, label: label.to(dtype: .float32))
            .randomlyCropped(to: cropSize, generator: generator, file: file.path)
    }
}

/// One BraTS case: the modalities and the tumour regions.
public struct BraTSSample: Sendable, Collatable {
    /// The normalised modalities, float32 `[C, X, Y, Z]`.
    public var image: Tensor
    /// The regions tumour core, whole tumour and enhancing tumour, float32 `[3, X, Y, Z]`, 1 inside.
    public var label: Tensor

    /// A sample of these fields.
    public init(image: Tensor, label: Tensor) {
        self.image = image
        self.label = label
    }

    /// The overlapping regions of a BraTS label map `[X, Y, Z]` (1 necrotic core, 2 oedema,
    /// 4 enhancing tumour), float32 `[3, X, Y, Z]`: tumour core (1 or 4), whole tumour (1, 2
    /// or 4), enhancing tumour (4) — MONAI's `ConvertToMultiChannelBasedOnBratsClasses`.
    /// - Throws: `DataError` naming `file` (field `labels`) for any other label.
    public static func regions(_ labels: Tensor, file: String) throws -> Tensor {
        let (necrotic, oedema, enhancing) = (labels .== 1, labels .== 2, labels .== 4)
        let known = necrotic.logicalOr(oedema).logicalOr(enhancing).logicalOr(labels .== 0)
        guard known.all().item(Bool.self) else {
            throw DataError(file: file, field: "labels", "holds labels other than 0, 1, 2 and 4")
        }
        let core = necrotic.logicalOr(enhancing)
        return Tensor.stack([core, core.logicalOr(oedema), enhancing]).to(dtype: .float32)
    }

    /// Each field stacked along a new batch dimension (`[N, C, X, Y, Z]`, `[N, 3, X, Y, Z]`).
    public static func collate(_ samples: [BraTSSample]) throws -> BraTSSample {
        try BraTSSample(image: .collate(samples.map(\.image)), label: .collate(samples.map(\.label)))
    }

    /// This sample cropped at one random position (``RandomSpatialCrop``), or itself when `size` is `nil`.
    func randomlyCropped(to size: [Int]?, generator: Generator, file: String) throws -> BraTSSample {
        guard let size else { return self }
        let spatial = Array(image.shape.dropFirst())
        guard size.count == spatial.count, zip(size, spatial).allSatisfy({ $0 > 0 && $0 <= $1 }) else {
            throw DataError(file: file, field: "dim", "volume \(spatial) cannot be cropped to \(size)")
        }
        let cropped = RandomSpatialCrop(size: size)([image, label], generator: generator)
        return BraTSSample(image: cropped[0], label: cropped[1])
    }
}
