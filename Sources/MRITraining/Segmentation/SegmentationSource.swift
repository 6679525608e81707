import Foundation

/// A segmentation recipe's data, split by patient or case: augmented training samples (random crops
/// of 3-D volumes) and whole validation samples, with what the target means.
public struct SegmentationSource {
    /// The target's layout and channel names.
    public let kind: SegmentationTargetKind
    /// Training samples, augmented with the generator the loader gives.
    public let training: SegmentationCases
    /// Validation samples, whole and unaugmented (slices for 2-D sources, volumes for 3-D).
    public let validation: SegmentationCases
    /// Sampling weights of the training samples (seed 004's lesion weights), or `nil` for uniform.
    public let trainingWeights: [Double]?

    /// Lists and splits the source `data` describes; `seed` splits when the recipe gives no `split_seed`.
    /// - Throws: `DataError` for an unreadable source, `TrainingError.configuration` for a split
    ///   that leaves no training or validation group.
    public init(_ data: SegmentationDataRecipe, seed: UInt64) throws {
        let splitSeed = data.splitSeed ?? seed
        let augmentation = Self.augmentation(data.augmentation, spatialDims: data.spatialDims)
        kind = try Self.kind(of: data)
        switch data.format {
        case .lgg:
            let dataset = try LGGSegmentationDataset(root: data.root)
            let parts = try Self.split(dataset, data.validation, seed: splitSeed)
            let names = dataset.slices.map { "\($0.patient)_\($0.number)" }
            func cases(_ indices: [Int], augment: Bool) -> SegmentationCases {
                SegmentationCases(names: indices.map { names[$0] }, groups: indices.map { dataset.slices[$0].patient }) {
                    let sample = try dataset.sample(at: indices[$0])
                    var tensors = [sample.image, sample.mask]
                    if let size = data.imageSize { tensors = tensors.map { SpatialSize.resize($0, to: size) } }
                    if augment, let generator = $1 { tensors = augmentation(tensors, generator: generator) }
                    return SegmentationSample(image: tensors[0], target: tensors[1])
                }
            }
            training = cases(parts[0], augment: true)
            validation = cases(parts[1], augment: false)
            trainingWeights = data.lesionWeightedSampling ? try dataset.lesionWeights(indices: parts[0]) : nil
        case .brats, .bratsCache:
            let (whole, cropped): (any GroupedDataset<BraTSSample>, any GroupedDataset<BraTSSample>) =
                data.format == .brats
                ? (try BraTSDataset(root: data.root), try BraTSDataset(root: data.root, cropSize: data.patchSize))
                : (try BraTSCacheDataset(path: data.root), try BraTSCacheDataset(path: data.root, cropSize: data.patchSize))
            let parts = try Self.split(whole, data.validation, seed: splitSeed)
            let keys = whole.groupKeys
            func cases(_ indices: [Int], _ source: any GroupedDataset<BraTSSample>, augment: Bool) -> SegmentationCases {
                SegmentationCases(names: indices.map { keys[$0] }, groups: indices.map { keys[$0] }) { position, generator in
                    let sample = try generator.map { try source.sample(at: indices[position], generator: $0) }
                        ?? source.sample(at: indices[position])
                    var tensors = [sample.image, sample.label]
                    if augment, let generator { tensors = augmentation(tensors, generator: generator) }
                    return SegmentationSample(image: tensors[0], target: tensors[1])
                }
            }
            training = cases(parts[0], cropped, augment: true)
            validation = cases(parts[1], whole, augment: false)
            trainingWeights = nil
        case .nnunet:
            let dataset = try NNUNetDataset(root: data.root)
            let parts = try Self.split(dataset, data.validation, seed: splitSeed)
            let keys = dataset.groupKeys
            let crop = data.patchSize.map(RandomSpatialCrop.init(size:))
            func cases(_ indices: [Int], augment: Bool) -> SegmentationCases {
                SegmentationCases(names: indices.map { keys[$0] }, groups: indices.map { keys[$0] }) {
                    let sample = try dataset.sample(at: indices[$0])
                    var tensors = [Self.normalize(sample.image, format: .nnunet), sample.label]
                    if augment, let generator = $1 {
                        if let crop { tensors = crop(tensors, generator: generator) }
                        tensors = augmentation(tensors, generator: generator)
                    }
                    return SegmentationSample(image: tensors[0], target: tensors[1])
                }
            }
            training = cases(parts[0], augment: true)
            validation = cases(parts[1], augment: false)
            trainingWeights = nil
        }
    }

    /// What the targets of `data`'s source are: LGG's lesion region, BraTS's TC/WT/ET regions, or
    /// the classes of an nnU-Net `dataset.json` (which must number them 0, 1, ... from the background).
    public static func kind(of data: SegmentationDataRecipe) throws -> SegmentationTargetKind {
        switch data.format {
        case .lgg: return .regions(names: ["lesion"])
        case .brats, .bratsCache: return .regions(names: ["TC", "WT", "ET"])
        case .nnunet:
            let path = URL(fileURLWithPath: data.root).appendingPathComponent("dataset.json").path
            let labels = try NNUNetDatasetDescription(path: path).labels.sorted { $0.value < $1.value }
            guard labels.map(\.value) == Array(0..<labels.count) else {
                throw DataError(file: path, field: "labels",
                                "are \(labels.map(\.value)); nnU-Net needs consecutive values from 0 (background)")
            }
            return .classes(names: labels.map(\.key))
        }
    }

    /// Raw channels `[C, spatial...]` normalised as the source's samples are for the network:
    /// LGG's min–max scaling of the 8-bit image, BraTS's z-score on non-zero voxels per channel,
    /// nnU-Net's z-score per channel (its scheme for MRI).
    public static func normalize(_ image: Tensor, format: SegmentationDataRecipe.Format) -> Tensor {
        switch format {
        case .lgg: LGGSegmentationDataset.scaled(image.to(dtype: .float32) / 255.0)
        case .brats, .bratsCache: Intensity.normalize(image, nonzero: true, channelWise: true)
        case .nnunet: Intensity.normalize(image, channelWise: true)
        }
    }

    /// The recipe's augmentation as one transform (flips of every spatial axis, then the affine map).
    static func augmentation(_ recipe: SegmentationDataRecipe.Augmentation, spatialDims: Int) -> Compose {
        var transforms: [any RandomTransform] = []
        if recipe.rotate > 0 || recipe.scale > 0 {
            let angle = recipe.rotate * .pi / 180
            transforms.append(RandomAffine(rotation: -angle...angle, scale: (1 - recipe.scale)...(1 + recipe.scale)))
        }
        if recipe.flip > 0 {
            transforms.append(RandomFlip(axes: Array(0..<spatialDims), probability: recipe.flip))
        }
        return Compose(transforms)
    }

    /// Training and validation indices of `dataset`, whole groups each: `validation` groups when it
    /// is a count, that fraction of them otherwise.
    private static func split(_ dataset: any GroupedDataset, _ validation: Double, seed: UInt64) throws -> [[Int]] {
        let groups = Set(dataset.groupKeys).count
        let held = validation >= 1 ? Int(validation) : Int((Double(groups) * validation).rounded())
        guard held >= 1, held < groups else {
            throw TrainingError.configuration(
                field: "data.validation",
                allowed: "between 1 and \(groups - 1) of the \(groups) groups (patients or cases), got \(held)")
        }
        return try GroupSplit.split(keys: dataset.groupKeys, counts: [groups - held, held], seed: seed)
    }
}
