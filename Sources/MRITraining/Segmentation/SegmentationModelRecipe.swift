/// The `model` section of a segmentation recipe: which network, with its reference implementation's
/// hyper-parameter names.
///
/// ```yaml
/// model: {name: unet2d, in_channels: 3, out_channels: 1, depth: 5, filters: 6, dropout: 0.6}   # seed 004
/// model: {name: segresnet_vae, in_channels: 4, out_channels: 3, init_filters: 32, dropout: 0.2} # seed 002
/// model: {name: vnet, in_channels: 1, out_channels: 2, act: prelu}                              # seed 003
/// ```
public struct SegmentationModelRecipe: Sendable, Equatable {
    /// The networks a segmentation recipe can train.
    public enum Name: String, CaseIterable, Sendable {
        /// Seed 004's 2D U-Net (``SegmentationUNet2D``; outputs probabilities).
        case unet2d
        /// Buda et al.'s 2D U-Net with batch norm (``BudaUNet``).
        case budaUnet = "buda_unet"
        /// MONAI's `BasicUNet` (2D or 3D).
        case basicUnet = "basic_unet"
        /// MONAI's `VNet` (seed 003 with `act: prelu`).
        case vnet
        /// MONAI's `SegResNet`.
        case segresnet
        /// MONAI's `SegResNetVAE` (seed 002, Myronenko's BraTS 2018 network).
        case segresnetVAE = "segresnet_vae"
    }

    /// The network.
    public var name: Name
    /// Input channels (modalities).
    public var inChannels: Int
    /// Output channels: regions (sigmoid) or classes including background (softmax).
    public var outChannels: Int
    /// 2 or 3 (fixed to 2 for the 2D U-Nets).
    public var spatialDims: Int
    /// `unet2d`: levels and `log2` of the first level's filters.
    public var depth: Int, filters: Int
    /// Dropout probability (`unet2d`, `basic_unet`, `segresnet*`; V-Net uses MONAI's fixed scheme).
    public var dropout: Double
    /// `buda_unet`: first-level features. `segresnet*`: initial filters.
    public var initFeatures: Int
    /// `basic_unet`: its six feature counts.
    public var features: [Int]
    /// `segresnet*`: residual blocks per encoder and decoder level.
    public var blocksDown: [Int], blocksUp: [Int]
    /// `segresnet_vae`: whether the latent standard deviation is estimated (the paper) or fixed (MONAI).
    public var vaeEstimateStd: Bool
    /// `segresnet_vae`: the regulariser added to the loss in training — MONAI's (`monai`: its KL term
    /// and the reconstruction MSE) or the paper's (`paper`: `0.1·L_L2 + 0.1·L_KL`, Myronenko 2018).
    public var vaeLoss: String
    /// `vnet`: the activation (`elu`, MONAI's default, or `prelu`, the paper's).
    public var activation: VNet.Activation

    /// Reads the section; throws `RecipeError` naming the key of the first bad value.
    public init(_ section: RecipeSection) throws {
        name = try section.choice("name")
        let known = ["name", "in_channels", "out_channels"]
        let specific: [String] = switch name {
        case .unet2d: ["depth", "filters", "dropout"]
        case .budaUnet: ["init_features"]
        case .basicUnet: ["spatial_dims", "features", "dropout"]
        case .vnet: ["spatial_dims", "act"]
        case .segresnet: ["spatial_dims", "init_filters", "dropout", "blocks_down", "blocks_up"]
        case .segresnetVAE:
            ["spatial_dims", "init_filters", "dropout", "blocks_down", "blocks_up", "vae_estimate_std", "vae_loss"]
        }
        try section.requireKnownKeys(known + specific)
        inChannels = try section.int("in_channels", in: 1...1024)
        outChannels = try section.int("out_channels", in: 1...1024)
        let is2D = name == .unet2d || name == .budaUnet
        spatialDims = is2D ? 2 : try section.int("spatial_dims", default: 3, in: 2...3)
        depth = try section.int("depth", default: 5, in: 2...8)
        filters = try section.int("filters", default: 6, in: 1...10)
        dropout = try section.double("dropout", default: name == .unet2d ? 0.6 : 0, in: 0...0.99)
        initFeatures = try section.int(
            name == .budaUnet ? "init_features" : "init_filters", default: name == .budaUnet ? 32 : 8, in: 1...1024)
        features = try section.ints("features", default: [32, 32, 64, 128, 256, 32])
        guard features.count == 6, features.allSatisfy({ $0 > 0 }) else {
            throw section.error("features", value: "\(features)", allowed: "six positive feature counts")
        }
        blocksDown = try section.ints("blocks_down", default: [1, 2, 2, 4])
        blocksUp = try section.ints("blocks_up", default: [1, 1, 1])
        guard !blocksDown.isEmpty, blocksUp.count < blocksDown.count, (blocksDown + blocksUp).allSatisfy({ $0 > 0 }) else {
            throw section.error("blocks_up", value: "\(blocksUp)",
                                allowed: "positive block counts, one level fewer than blocks_down \(blocksDown)")
        }
        if name == .segresnet || name == .segresnetVAE, initFeatures % 8 != 0 {
            throw section.error("init_filters", value: "\(initFeatures)", allowed: "a multiple of 8 (SegResNet's GroupNorm has 8 groups)")
        }
        vaeEstimateStd = try section.bool("vae_estimate_std", default: false)
        vaeLoss = try section.string("vae_loss", default: "monai")
        guard ["monai", "paper"].contains(vaeLoss) else {
            throw section.error("vae_loss", value: vaeLoss, allowed: "monai or paper")
        }
        let act = try section.string("act", default: "elu")
        switch act {
        case "elu": activation = .elu
        case "prelu": activation = .prelu
        default: throw section.error("act", value: act, allowed: "elu or prelu")
        }
    }

    /// The factor every spatial size of the network's input must be divisible by.
    public var sizeDivisor: Int {
        switch name {
        case .unet2d: 1 << (depth - 1)
        case .budaUnet, .basicUnet, .vnet: 16
        case .segresnet: 1 << (blocksDown.count - 1)
        case .segresnetVAE: 1 << blocksDown.count
        }
    }

    /// The network, its weights drawn from the global generator; `patchSize` fixes SegResNetVAE's
    /// fully connected layers (its training crops).
    public func make(patchSize: [Int]?) throws -> SegmentationNetwork {
        switch name {
        case .unet2d:
            let net = SegmentationUNet2D(
                channelsIn: inChannels, nClasses: outChannels, depth: depth, nFilters: filters, dropout: dropout)
            return SegmentationNetwork(module: net, outputsProbabilities: true) { input, _ in (net(input), nil) }
        case .budaUnet:
            let net = BudaUNet(inChannels: inChannels, outChannels: outChannels, initFeatures: initFeatures)
            return SegmentationNetwork(module: net, outputsProbabilities: false) { input, _ in (net.logits(input), nil) }
        case .basicUnet:
            let net = BasicUNet(spatialDims: spatialDims, inChannels: inChannels, outChannels: outChannels,
                                features: features, dropout: dropout)
            return SegmentationNetwork(module: net, outputsProbabilities: false) { input, _ in (net(input), nil) }
        case .vnet:
            let net = VNet(spatialDims: spatialDims, inChannels: inChannels, outChannels: outChannels, act: activation)
            return SegmentationNetwork(module: net, outputsProbabilities: false) { input, _ in (net(input), nil) }
        case .segresnet:
            let net = SegResNet(
                spatialDims: spatialDims, initFilters: initFeatures, inChannels: inChannels, outChannels: outChannels,
                dropoutProb: dropout > 0 ? dropout : nil, blocksDown: blocksDown, blocksUp: blocksUp)
            return SegmentationNetwork(module: net, outputsProbabilities: false) { input, _ in (net(input), nil) }
        case .segresnetVAE:
            guard let patchSize, patchSize.count == spatialDims else {
                throw TrainingError.configuration(
                    field: "data.patch_size", allowed: "\(spatialDims) sizes: segresnet_vae is built for its training crop")
            }
            let net = SegResNetVAE(
                inputImageSize: patchSize, vaeEstimateStd: vaeEstimateStd, spatialDims: spatialDims,
                initFilters: initFeatures, inChannels: inChannels, outChannels: outChannels,
                dropoutProb: dropout > 0 ? dropout : nil, blocksDown: blocksDown, blocksUp: blocksUp)
            let paper = vaeLoss == "paper"
            return SegmentationNetwork(module: net, outputsProbabilities: false) { input, generator in
                guard paper, net.isTraining else {
                    let (segmentation, vaeLoss) = net.forward(input, generator: generator)
                    return (segmentation, vaeLoss)
                }
                let (features, levels) = net.encode(input)
                let branch = net.vae(features, generator: generator)
                let regularization = SegResNetVAE.paperLoss(
                    reconstruction: branch.reconstruction, image: input, mean: branch.mean, std: branch.std)
                return (net.decode(features, levels: levels), regularization)
            }
        }
    }
}

/// A segmentation network as the training task drives it: the module (for the optimizer and
/// checkpoints) and its forward pass, giving the scores and, for networks with a regulariser
/// (SegResNetVAE's VAE branch, in training), the regulariser's loss.
public struct SegmentationNetwork {
    /// The network's module.
    public let module: Module
    /// Whether the scores are probabilities already (seed 004's U-Net ends in a sigmoid) rather than logits.
    public let outputsProbabilities: Bool
    /// Scores `[N, outChannels, spatial...]` and the regulariser's loss, drawing noise from the generator.
    public let forward: (Tensor, Generator?) -> (scores: Tensor, regularization: Tensor?)

    /// Scores `[N, outChannels, spatial...]` of `input` (no regulariser).
    public func callAsFunction(_ input: Tensor) -> Tensor { forward(input, nil).scores }
}
