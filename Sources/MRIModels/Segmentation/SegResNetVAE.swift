/// ``SegResNet`` with the variational auto-encoder branch of A. Myronenko, "3D MRI brain tumor
/// segmentation using autoencoder regularization", BrainLes 2018, as MONAI's `SegResNetVAE` builds
/// it (same keys and parameter counts, so MONAI weights load strictly).
///
/// The branch reduces the deepest encoder features to 16 channels at half their size (GroupNorm →
/// ReLU → stride-2 conv → GroupNorm → ReLU), maps them by `vaeFc1` to the latent mean `μ` (`vaeNz`
/// values) and, when `vaeEstimateStd`, by `vaeFc2` and softplus to `σ` (else `σ = vaeDefaultStd`);
/// draws `z = μ + σ·ε`, maps it back by `vaeFc3` → ReLU → 1×1 conv → ×2 upsampling → GroupNorm →
/// ReLU, and reconstructs the input through the decoder's own upsampling and residual layers (shared
/// weights, as in MONAI) and `vaeConvFinal`.
///
/// Input `[N, inChannels, inputImageSize...]`; each size divisible by `2^blocksDown.count`.
public final class SegResNetVAE: SegResNet {
    /// The spatial size the network is built for (it fixes the fully connected layers' sizes).
    public let inputImageSize: [Int]
    /// Whether `σ` is estimated (`vaeFc2`) rather than fixed.
    public let vaeEstimateStd: Bool
    /// `σ` when not estimated.
    public let vaeDefaultStd: Double
    /// Latent size of the fully connected layers.
    public let vaeNz: Int
    /// Channels of the smallest VAE features (16 in the paper and MONAI).
    public let smallestFilters = 16
    /// Spatial size of the smallest VAE features.
    public let fcInsize: [Int]

    /// GroupNorm → ReLU → stride-2 conv to 16 channels → GroupNorm → ReLU.
    public let vaeDown: Sequential
    /// To the latent mean.
    public let vaeFc1: Linear
    /// To the latent standard deviation before softplus (present, unused, when `σ` is fixed, as in MONAI).
    public let vaeFc2: Linear
    /// From the latent sample back to the smallest features.
    public let vaeFc3: Linear
    /// 1×1 conv → ×2 upsampling → GroupNorm → ReLU.
    public let vaeFcUpSample: Sequential
    /// GroupNorm → ReLU → 1×1 convolution to the input channels.
    public let vaeConvFinal: Sequential

    /// MONAI's `SegResNetVAE` with its defaults; see ``SegResNet/init(spatialDims:initFilters:inChannels:outChannels:dropoutProb:numGroups:useConvFinal:blocksDown:blocksUp:upsampleMode:generator:)``.
    public init(
        inputImageSize: [Int], vaeEstimateStd: Bool = false, vaeDefaultStd: Double = 0.3, vaeNz: Int = 256,
        spatialDims: Int = 3, initFilters: Int = 8, inChannels: Int = 1, outChannels: Int = 2,
        dropoutProb: Double? = nil, numGroups: Int = 8, useConvFinal: Bool = true, blocksDown: [Int] = [1, 2, 2, 4],
        blocksUp: [Int] = [1, 1, 1], upsampleMode: UpsampleMode = .nontrainable, generator: Generator? = nil
    ) {
        precondition(inputImageSize.count == spatialDims, "inputImageSize needs \(spatialDims) sizes")
        let zoom = 1 << (blocksDown.count - 1)
        let vFilters = initFilters * zoom
        self.inputImageSize = inputImageSize
        self.vaeEstimateStd = vaeEstimateStd
        self.vaeDefaultStd = vaeDefaultStd
        self.vaeNz = vaeNz
        fcInsize = inputImageSize.map { $0 / (2 * zoom) }
        let totalElements = smallestFilters * fcInsize.reduce(1, *)
        vaeDown = Sequential(
            GroupNorm(numGroups, vFilters), ReLU(),
            SpatialLayers.monaiConv(spatialDims, vFilters, smallestFilters, stride: 2, bias: true, generator: generator),
            GroupNorm(numGroups, smallestFilters), ReLU())
        vaeFc1 = Linear(totalElements, vaeNz, generator: generator)
        vaeFc2 = Linear(totalElements, vaeNz, generator: generator)
        vaeFc3 = Linear(vaeNz, totalElements, generator: generator)
        vaeFcUpSample = Sequential(
            SpatialLayers.monaiConv(spatialDims, smallestFilters, vFilters, kernelSize: 1, generator: generator),
            upsampleMode.layer(spatialDims, channels: vFilters, alignCorners: false, generator: generator),
            GroupNorm(numGroups, vFilters), ReLU())
        vaeConvFinal = SegResNet.finalConv(spatialDims, initFilters, inChannels, numGroups: numGroups,
                                           generator: generator)
        super.init(
            spatialDims: spatialDims, initFilters: initFilters, inChannels: inChannels, outChannels: outChannels,
            dropoutProb: dropoutProb, numGroups: numGroups, useConvFinal: useConvFinal, blocksDown: blocksDown,
            blocksUp: blocksUp, upsampleMode: upsampleMode, generator: generator)
    }

    /// The network of the paper for BraTS 2018: 4 input modalities (T1, T1c, T2, FLAIR), 3 outputs
    /// (enhancing tumour, tumour core, whole tumour; apply a sigmoid), 32 initial filters, blocks
    /// (1, 2, 2, 4) down and (1, 1, 1) up, spatial dropout 0.2 after the initial convolution, linear
    /// upsampling, an estimated `σ` and a 256-value latent (128 means, 128 deviations in the paper's
    /// words), on 160×192×128 crops. Train it with ``paperLoss`` added to the Dice loss.
    public static func myronenko2018(
        inputImageSize: [Int] = [160, 192, 128], generator: Generator? = nil
    ) -> SegResNetVAE {
        SegResNetVAE(
            inputImageSize: inputImageSize, vaeEstimateStd: true, vaeNz: 256, spatialDims: 3, initFilters: 32,
            inChannels: 4, outChannels: 3, dropoutProb: 0.2, blocksDown: [1, 2, 2, 4], blocksUp: [1, 1, 1],
            upsampleMode: .nontrainable, generator: generator)
    }

    /// The paper's VAE regulariser weights, `L = L_dice + 0.1·L_L2 + 0.1·L_KL`.
    public static var paperLoss: VAERegularizationLoss { VAERegularizationLoss(l2Weight: 0.1, klWeight: 0.1) }

    /// What the VAE branch computes for one batch.
    public struct VAEOutput {
        /// The reconstructed input `[N, inChannels, inputImageSize...]`.
        public var reconstruction: Tensor
        /// The latent means `μ` `[N, vaeNz]`.
        public var mean: Tensor
        /// The latent standard deviations `σ` `[N, vaeNz]` (`vaeDefaultStd` everywhere when not estimated).
        public var std: Tensor
    }

    /// The VAE branch on the deepest encoder `features`, drawing the latent noise `ε` from `generator`
    /// (or the global one; MONAI draws from the global one with `randn_like`).
    public func vae(_ features: Tensor, generator: Generator? = nil) -> VAEOutput {
        let flat = vaeDown(features).view([-1, vaeFc1.inFeatures])
        let mean = vaeFc1(flat)
        let noise = Tensor.randn(mean.shape, dtype: mean.dtype, device: mean.device, generator: generator)
        let std = vaeEstimateStd ? Functional.softplus(vaeFc2(flat)) : Tensor.full(like: mean, vaeDefaultStd)
        var hidden = Functional.relu(vaeFc3(mean + std * noise))
        hidden = vaeFcUpSample(hidden.view([-1, smallestFilters] + fcInsize))
        for (upSample, upLayer) in zip(upSamples, upLayers) {
            hidden = upLayer(upSample(hidden))
        }
        return VAEOutput(reconstruction: vaeConvFinal(hidden), mean: mean, std: std)
    }

    /// MONAI's VAE loss: `mean(μ²)` when `σ` is fixed, `0.5·mean(μ² + σ² − log(1e-8 + σ²) − 1)` when
    /// estimated, plus the mean squared error of the reconstruction of `input`.
    public func vaeLoss(_ input: Tensor, _ output: VAEOutput) -> Tensor {
        let regularization: Tensor
        if vaeEstimateStd {
            let variance = output.std.square()
            regularization = 0.5 * (output.mean.square() + variance - (variance + 1e-8).log() - 1).mean()
        } else {
            regularization = output.mean.square().mean()
        }
        return regularization + Functional.mseLoss(input, target: output.reconstruction)
    }

    /// MONAI's forward: the segmentation scores `[N, outChannels, spatial...]` and, in training, the VAE
    /// loss (``vaeLoss(_:_:)``, a scalar; `nil` in evaluation), with `ε` drawn from `generator`.
    public func forward(_ input: Tensor, generator: Generator?) -> (segmentation: Tensor, vaeLoss: Tensor?) {
        let (features, levels) = encode(input)
        let segmentation = decode(features, levels: levels)
        guard isTraining else { return (segmentation, nil) }
        return (segmentation, vaeLoss(input, vae(features, generator: generator)))
    }
}
