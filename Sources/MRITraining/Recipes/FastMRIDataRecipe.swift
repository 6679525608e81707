/// The `data` section of a recipe that trains on fastMRI-layout folders.
///
/// ```yaml
/// data:
///   train: data/brain/multicoil_train
///   val: data/brain/multicoil_val
///   challenge: multicoil          # or singlecoil (U-Net only)
///   mask: {type: equispaced_fraction, center_fractions: [0.08], accelerations: [4]}
///   batch_size: 1
///   workers: 2
///   sample_rate: 1.0
///   skip_bad_samples: false
/// ```
public struct FastMRIDataRecipe: Sendable {
    /// Training and validation folders of fastMRI-layout `.h5` files.
    public var trainFolder: String, validationFolder: String
    /// Single- or multi-coil files (multi-coil targets are the root sum of squares).
    public var challenge: FastMRISliceDataset.Challenge
    /// The undersampling of training and validation slices (validation masks are seeded by file name).
    public var mask: MaskRecipe
    /// Slices per training batch (slices of a batch need one size; fastMRI uses 1).
    public var batchSize: Int
    /// Loader threads.
    public var workers: Int
    /// The fraction of training slices used (fastMRI's `sample_rate`).
    public var sampleRate: Double
    /// Skip unreadable slices with a warning instead of stopping.
    public var skipBadSamples: Bool

    /// Reads the section; `defaultMask` applies when it has no `mask`, and `challenges` are the
    /// challenges the task can train on (the first is the default).
    public init(
        _ data: RecipeSection, defaultMask: MaskRecipe = MaskRecipe(),
        challenges: [FastMRISliceDataset.Challenge] = [.multiCoil]
    ) throws {
        try data.requireKnownKeys(
            ["train", "val", "challenge", "mask", "batch_size", "workers", "sample_rate", "skip_bad_samples"])
        trainFolder = try data.existingFolder("train", allowed: "an existing folder of fastMRI .h5 files")
        validationFolder = try data.existingFolder("val", allowed: "an existing folder of fastMRI .h5 files")
        let challengeName = try data.string("challenge", default: challenges[0].rawValue)
        guard let challenge = challenges.first(where: { $0.rawValue == challengeName }) else {
            throw data.error("challenge", value: challengeName,
                             allowed: "one of " + challenges.map(\.rawValue).joined(separator: ", "))
        }
        self.challenge = challenge
        mask = try data.section("mask").map(MaskRecipe.init) ?? defaultMask
        batchSize = try data.int("batch_size", default: 1, in: 1...4096)
        workers = try data.int("workers", default: 2, in: 0...256)
        sampleRate = try data.double("sample_rate", default: 1, in: 1e-6...1)
        skipBadSamples = try data.bool("skip_bad_samples", default: false)
    }

    /// Loaders of the training slices (shuffled, `batchSize` per batch, masks drawn per slice) and
    /// the validation slices (in order, one per batch, masks seeded by file name), each slice
    /// turned into a sample by `transform` given the undersampling. With `processGroup`, the
    /// training loader reads this rank's `DistributedSampler` share of each epoch.
    ///
    /// - Throws: `DataError` when a folder holds no slices of the challenge or a file is unreadable.
    func loaders<Sample: Collatable & Sendable>(
        seed: UInt64, processGroup: ProcessGroup? = nil,
        transform: @escaping @Sendable (KSpaceSlice, Undersampling, Generator) throws -> Sample
    ) throws -> (training: DataLoader<TransformedDataset<FastMRISliceDataset, Sample>, Sample.Batch>,
                 validation: DataLoader<TransformedDataset<FastMRISliceDataset, Sample>, Sample.Batch>) {
        let maskFunction = try mask.make()
        let trainingMask = Undersampling(maskFunction, seeding: .generator)
        let validationMask = Undersampling(maskFunction, seeding: .fileName)
        let training = try FastMRISliceDataset(
            root: trainFolder, challenge: challenge, sampleRate: sampleRate < 1 ? sampleRate : nil, seed: seed)
        let validation = try FastMRISliceDataset(root: validationFolder, challenge: challenge)
        guard training.count > 0 else { throw DataError(file: trainFolder, "holds no \(challenge.rawValue) fastMRI .h5 slices") }
        guard validation.count > 0 else {
            throw DataError(file: validationFolder, "holds no \(challenge.rawValue) fastMRI .h5 slices")
        }
        return (
            DataLoader(
                training.map { try transform(KSpaceSlice($0), trainingMask, $1) }, batchSize: batchSize, shuffle: true,
                sampler: try processGroup.map {
                    try DistributedSampler(count: training.count, rank: $0.rank, worldSize: $0.worldSize, seed: seed)
                },
                workers: workers, seed: seed, skipBadSamples: skipBadSamples),
            DataLoader(
                validation.map { try transform(KSpaceSlice($0), validationMask, $1) }, batchSize: 1, workers: workers,
                seed: seed, skipBadSamples: skipBadSamples)
        )
    }
}
