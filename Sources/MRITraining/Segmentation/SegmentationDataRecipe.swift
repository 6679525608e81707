import Foundation

/// The `data` section of a segmentation recipe: the source, its patient-level split, the training
/// crops and augmentation, and the loader.
///
/// ```yaml
/// data:
///   format: lgg                  # lgg (kaggle_3m TIFFs), brats (NIfTI cases), brats_cache (HDF5), nnunet
///   root: data/kaggle_3m
///   validation: 30               # groups held out: a count (≥ 1) or a fraction (< 1), split by patient/case
///   augment: {rotate: 15, scale: 0.05, flip: 0.5}
///   sampling: lesion_weighted    # or uniform
///   batch_size: 4
/// ```
public struct SegmentationDataRecipe: Sendable {
    /// The sources a segmentation recipe reads.
    public enum Format: String, CaseIterable, Sendable {
        /// Buda et al.'s LGG `kaggle_3m` folder (seed 004): RGB TIFF slices and masks per patient.
        case lgg
        /// A BraTS folder of cases (seed 002): four modalities and a label map each, as NIfTI.
        case brats
        /// BraTS cases packed into one HDF5 file by `BraTSDataset.writeCache` (seed 002).
        case bratsCache = "brats_cache"
        /// An nnU-Net v2 raw dataset folder (`dataset.json`, `imagesTr`, `labelsTr`), e.g. MSD spleen (seed 003).
        case nnunet
    }

    /// Training-time augmentation, applied alike to image and target.
    public struct Augmentation: Sendable, Equatable {
        /// Largest rotation, in degrees (in-plane for 2-D; about each axis for 3-D).
        public var rotate = 0.0
        /// Largest relative change of scale (0.05: zoom drawn from 0.95…1.05).
        public var scale = 0.0
        /// Probability of flipping each spatial axis.
        public var flip = 0.0
    }

    /// The source's format.
    public var format: Format
    /// The folder (or HDF5 file for `brats_cache`).
    public var root: String
    /// Held-out groups: a count when ≥ 1, else a fraction of the groups.
    public var validation: Double
    /// The split's seed (the training seed when absent).
    public var splitSeed: UInt64?
    /// Random training crops of this spatial size (3-D sources; also the sliding window of validation).
    public var patchSize: [Int]?
    /// Resize 2-D slices to this size (`[H, W]`) before anything else.
    public var imageSize: [Int]?
    /// Training augmentation.
    public var augmentation: Augmentation
    /// Sample training slices by lesion size (seed 004's weights) instead of uniformly.
    public var lesionWeightedSampling: Bool
    /// Samples per batch.
    public var batchSize: Int
    /// Loader threads.
    public var workers: Int
    /// Skip unreadable samples with a warning instead of stopping.
    public var skipBadSamples: Bool

    /// Reads the section; throws `RecipeError` naming the key of the first bad value.
    public init(_ section: RecipeSection) throws {
        try section.requireKnownKeys([
            "format", "root", "validation", "split_seed", "patch_size", "image_size", "augment", "sampling",
            "batch_size", "workers", "skip_bad_samples",
        ])
        format = try section.choice("format")
        root = try section.string("root")
        let mustBeFile = format == .bratsCache
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue != mustBeFile
        else {
            throw section.error("root", value: root, allowed: mustBeFile ? "an existing HDF5 cache file" : "an existing folder")
        }
        validation = try section.double("validation", default: 0.2, in: 1e-6...1_000_000)
        if validation >= 1, validation != validation.rounded() {
            throw section.error("validation", value: "\(validation)", allowed: "a whole count of groups, or a fraction below 1")
        }
        splitSeed = try section.contains("split_seed") ? UInt64(section.int("split_seed", in: 0...Int(Int32.max))) : nil
        patchSize = try section.contains("patch_size") ? section.ints("patch_size") : nil
        imageSize = try section.contains("image_size") ? section.ints("image_size") : nil
        for (key, size) in [("patch_size", patchSize), ("image_size", imageSize)] {
            if let size, !size.allSatisfy({ $0 > 0 }) {
                throw section.error(key, value: "\(size)", allowed: "positive sizes, one per spatial dimension")
            }
        }
        if format == .lgg, let patchSize {
            throw section.error("patch_size", value: "\(patchSize)", allowed: "absent for lgg slices (use image_size)")
        }
        augmentation = Augmentation()
        if let augment = try section.section("augment") {
            try augment.requireKnownKeys(["rotate", "scale", "flip"])
            augmentation.rotate = try augment.double("rotate", default: 0, in: 0...180)
            augmentation.scale = try augment.double("scale", default: 0, in: 0...0.9)
            augmentation.flip = try augment.double("flip", default: 0, in: 0...1)
        }
        let sampling = try section.string("sampling", default: "uniform")
        guard ["uniform", "lesion_weighted"].contains(sampling) else {
            throw section.error("sampling", value: sampling, allowed: "uniform or lesion_weighted")
        }
        if sampling == "lesion_weighted", format != .lgg {
            throw section.error("sampling", value: sampling, allowed: "uniform (lesion weights are for lgg slices)")
        }
        lesionWeightedSampling = sampling == "lesion_weighted"
        batchSize = try section.int("batch_size", default: 1, in: 1...4096)
        workers = try section.int("workers", default: 2, in: 0...256)
        skipBadSamples = try section.bool("skip_bad_samples", default: false)
    }

    /// The number of spatial dimensions of the source's samples.
    public var spatialDims: Int { format == .lgg ? 2 : 3 }
}
