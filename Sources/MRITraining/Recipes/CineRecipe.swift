/// A recipe for seed 001's dynamic (cine) reconstruction: ``CineDataset`` (`cine.npz`, new
/// Cartesian masks per frame) split 4:1:2, a ``CineUNetResNet`` (or a ``DCCNN``) on the frames
/// stacked as channels.
///
/// ```yaml
/// task: reconstruction
/// model: {name: cine_unet_resnet, init_features: 64, num_pool_layers: 4, n_feats: 64, n_resblocks: 4}
/// # model: {name: dccnn, nc: 5, nd: 5, nf: 64, ks: 3}
/// data: {path: data/cine/cine.npz, acceleration: 6, sample_n: 10, split: [4, 1, 2], batch_size: 10}
/// training:
///   epochs: 400
///   optimizer: {name: adam, lr: 1.0e-4, weight_decay: 1.0e-4}
///   schedule: {name: warmup_cosine, warmup_epochs: 10}
///   loss: mse
/// output: runs/cine_unet_resnet
/// ```
public struct CineRecipe: Sendable {
    /// The network and its hyper-parameters.
    public enum Model: Sendable, Equatable {
        /// ``CineUNetResNet``; `dataConsistency` applies ``DataConsistency`` to its output.
        case unetResNet(initFeatures: Int, numPoolLayers: Int, nFeats: Int, nResblocks: Int, dataConsistency: Bool)
        /// ``DCCNN`` with the authors' names.
        case dccnn(nc: Int, nd: Int, nf: Int, ks: Int)

        /// Reads a `model` section named `cine_unet_resnet` or `dccnn`.
        public init(_ section: RecipeSection, name: String) throws {
            if name == "dccnn" {
                try section.requireKnownKeys(["name", "nc", "nd", "nf", "ks"])
                let ks = try section.int("ks", default: 3, in: 1...31)
                guard ks % 2 == 1 else { throw section.error("ks", value: "\(ks)", allowed: "an odd kernel size") }
                self = .dccnn(
                    nc: try section.int("nc", default: 5, in: 1...100), nd: try section.int("nd", default: 5, in: 2...100),
                    nf: try section.int("nf", default: 64, in: 1...4096), ks: ks)
            } else {
                try section.requireKnownKeys(["name", "init_features", "num_pool_layers", "n_feats", "n_resblocks", "data_consistency"])
                self = .unetResNet(
                    initFeatures: try section.int("init_features", default: 64, in: 1...4096),
                    numPoolLayers: try section.int("num_pool_layers", default: 4, in: 1...8),
                    nFeats: try section.int("n_feats", default: 64, in: 1...4096),
                    nResblocks: try section.int("n_resblocks", default: 4, in: 0...100),
                    dataConsistency: try section.bool("data_consistency", default: false))
            }
        }

        /// The network's name in logs and panels.
        public var displayName: String {
            switch self {
            case .unetResNet: "U-Net+ResNet"
            case .dccnn: "DC-CNN"
            }
        }
    }

    /// The network.
    public var model: Model
    /// The `cine.npz` file.
    public var path: String
    /// The array's name in the archive.
    public var key: String
    /// The masks' undersampling factor.
    public var acceleration: Double
    /// Fully sampled centre lines per frame.
    public var sampleN: Int
    /// The train:validation:test ratios of the sequences.
    public var split: [Double]
    /// Sequences per training batch.
    public var batchSize: Int
    /// Loader threads.
    public var workers: Int
    /// Optimizer, schedule, loss (`mse` or `l1`, on the real and imaginary parts) and trainer settings.
    public var training: TrainingRecipe
    /// Where checkpoints, logs, figures and the test outputs go.
    public var output: String

    /// Reads a parsed recipe file; throws `RecipeError` naming the key of the first bad value.
    public init(_ recipe: RecipeSection) throws {
        let sections = try recipe.trainingSections(task: "reconstruction", models: ["cine_unet_resnet", "dccnn"])
        model = try Model(sections.model, name: sections.modelName)
        let data = sections.data
        try data.requireKnownKeys(["path", "key", "acceleration", "sample_n", "split", "batch_size", "workers"])
        path = try data.existingFile("path", allowed: "an existing .npz file of sequences [nsamples, nt, nx, ny]")
        key = try data.string("key", default: "dataset")
        acceleration = try data.double("acceleration", default: 6, in: 1...1000)
        sampleN = try data.int("sample_n", default: 10, in: 0...100_000)
        split = try data.doubles("split", default: [4, 1, 2])
        guard split.count == 3, split.allSatisfy({ $0 > 0 }) else {
            throw data.error("split", value: "\(split)", allowed: "three positive ratios: train, validation, test")
        }
        batchSize = try data.int("batch_size", default: 10, in: 1...4096)
        workers = try data.int("workers", default: 2, in: 0...256)
        training = try TrainingRecipe(sections.training, losses: ["mse", "l1"], defaultMonitor: MonitoredMetric("psnr", .maximize))
        output = sections.output
        training.configuration.checkpointDirectory = output
    }

    /// The training run of the recipe's network.
    /// - Throws: `DataError` for an unreadable `cine.npz`, `TrainingError` for a bad configuration.
    public func makeTraining() throws -> any TrainingTask {
        switch model {
        case let .unetResNet(initFeatures, numPoolLayers, nFeats, nResblocks, dataConsistency):
            return try CineTraining(recipe: self) { frames in
                CineUNetResNet(
                    frames: frames, initFeatures: initFeatures, numPoolLayers: numPoolLayers, nFeats: nFeats,
                    nResblocks: nResblocks)
            } forward: { network, batch in
                dataConsistency ? network(batch.image, kspace: batch.kspace, mask: batch.mask) : network(batch.image)
            }
        case let .dccnn(nc, nd, nf, ks):
            return try CineTraining(recipe: self) { frames in
                DCCNN(nChannels: 2 * frames, nc: nc, nd: nd, nf: nf, ks: ks)
            } forward: { network, batch in
                network(batch.image, kspace: batch.kspace, mask: batch.mask)
            }
        }
    }
}
