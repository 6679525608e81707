import Foundation

/// The LGG FLAIR-abnormality segmentation data set of Buda et al. (Kaggle's `kaggle_3m`), as seed
/// 004 (the torch-for-R brain-segmentation post) loads it: one folder per patient,
/// `TCGA_XX_YYYY_YYYYMMDD/`, holding `TCGA_XX_YYYY_YYYYMMDD_N.tif` (RGB 256×256: FLAIR,
/// pre-contrast and post-contrast) and its `..._N_mask.tif` (8-bit, 255 inside the abnormality).
///
/// Slices are ordered by patient folder name, then by slice number `N`. Files are only listed
/// when the dataset is made; each sample reads its two TIFFs.
public struct LGGSegmentationDataset: GroupedDataset {
    /// One slice, before it is read.
    public struct Slice: Sendable, Equatable {
        /// The patient's folder name (`TCGA_XX_YYYY_YYYYMMDD`), the group of splits.
        public var patient: String
        /// The slice number `N`.
        public var number: Int
        /// The image's path.
        public var imagePath: String
        /// The mask's path.
        public var maskPath: String
    }

    /// The slices, in sample order.
    public let slices: [Slice]

    /// The slices of the patient folders in `root` (other files, such as `data.csv`, are ignored).
    ///
    /// - Throws: `DataError` naming `root` when it cannot be listed, or naming an image whose
    ///   mask (field `mask`) is missing.
    public init(root: String) throws {
        let rootURL = URL(fileURLWithPath: root)
        var slices: [Slice] = []
        for patient in try DatasetFolder.listing(root).sorted() {
            let folder = rootURL.appendingPathComponent(patient)
            guard DatasetFolder.isFolder(folder.path) else { continue }
            let names = Set(try DatasetFolder.listing(folder.path))
            let prefix = patient + "_"
            var patientSlices: [Slice] = []
            for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tif") && !name.hasSuffix("_mask.tif") {
                guard let number = Int(name.dropFirst(prefix.count).dropLast(4)) else { continue }
                let maskName = String(name.dropLast(4)) + "_mask.tif"
                let imagePath = folder.appendingPathComponent(name).path
                guard names.contains(maskName) else {
                    throw DataError(file: imagePath, field: "mask", "has no mask \(maskName) beside it")
                }
                patientSlices.append(
                    Slice(patient: patient, number: number, imagePath: imagePath,
                          maskPath: folder.appendingPathComponent(maskName).path))
            }
            slices += patientSlices.sorted { $0.number < $1.number }
        }
        self.slices = slices
    }

    public var count: Int { slices.count }

    /// The patient of each slice: splits keep patients whole (the seed holds 30 of 110 out for
    /// validation: `split(counts: [80, 30], seed:)`).
    public var groupKeys: [String] { slices.map(\.patient) }

    /// Slice `index`: the image scaled to `[0, 1)` as the seed's `min_max_scale` (of the image
    /// divided by 255: `(x − min) / (max − min + 1e-5)`) and the mask divided by 255.
    /// - Throws: `DataError` naming the file for an unreadable TIFF, an image that is not RGB
    ///   (`SamplesPerPixel`), a mask that is not one channel, or a mask of another size (`ImageWidth`).
    public func sample(at index: Int) throws -> LGGSample {
        let slice = slices[index]
        let image = try TIFFFile.read(from: URL(fileURLWithPath: slice.imagePath)).to(dtype: .float32) / 255.0
        let mask = try Self.readMask(slice.maskPath)
        guard image.shape[0] == 3 else {
            throw DataError(
                file: slice.imagePath, field: "SamplesPerPixel", "has \(image.shape[0]) channels, not 3 (RGB)")
        }
        guard mask.shape.dropFirst() == image.shape.dropFirst() else {
            throw DataError(
                file: slice.maskPath, field: "ImageWidth",
                "is \(mask.shape.dropFirst()) but its image is \(image.shape.dropFirst())")
        }
        return LGGSample(image: Self.scaled(image), mask: mask)
    }

    /// An image divided by 255 scaled as the seed's `min_max_scale`: `(x − min) / (max − min + 1e-5)`.
    public static func scaled(_ image: Tensor) -> Tensor {
        let (low, high) = (image.min().item(Double.self), image.max().item(Double.self))
        return (image - low) / (high - low + 1e-5)
    }

    /// Each slice's sampling weight, favouring slices with large lesions (the seed's
    /// `calc_slice_weights`: ``WeightedRandomSampler/lesionWeights(areas:uniformFraction:)`` of
    /// the masks' areas `Σ mask / 255`, with a uniform fraction of 0.1), for a
    /// ``WeightedRandomSampler``.
    ///
    /// - Parameter indices: the slices weighed (e.g. a training split's), by default all.
    /// - Returns: one weight per index, summing to 1.
    /// - Throws: `DataError` naming a mask that cannot be read.
    public func lesionWeights(indices: [Int]? = nil, uniformFraction: Double = 0.1) throws -> [Double] {
        let areas = try (indices ?? Array(0..<count)).map {
            try Self.readMask(slices[$0].maskPath).sum().item(Double.self)
        }
        return WeightedRandomSampler.lesionWeights(areas: areas, uniformFraction: uniformFraction)
    }

    /// The mask at `path` divided by 255, float32 `[1, H, W]`.
    private static func readMask(_ path: String) throws -> Tensor {
        let mask = try TIFFFile.read(from: URL(fileURLWithPath: path))
        guard mask.shape[0] == 1 else {
            throw DataError(
                file: path, field: "SamplesPerPixel", "has \(mask.shape[0]) channels, not 1 (a grayscale mask)")
        }
        return mask.to(dtype: .float32) / 255.0
    }
}

/// One LGG slice: the image and its abnormality mask.
public struct LGGSample: Sendable, Collatable {
    /// FLAIR, pre- and post-contrast, float32 `[3, H, W]` in `[0, 1)`.
    public var image: Tensor
    /// The FLAIR abnormality, float32 `[1, H, W]`, 1 inside.
    public var mask: Tensor

    /// A sample of these fields.
    public init(image: Tensor, mask: Tensor) {
        self.image = image
        self.mask = mask
    }

    /// Each field stacked along a new batch dimension (`[N, 3, H, W]`, `[N, 1, H, W]`).
    public static func collate(_ samples: [LGGSample]) throws -> LGGSample {
        try LGGSample(image: .collate(samples.map(\.image)), mask: .collate(samples.map(\.mask)))
    }
}
