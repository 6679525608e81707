/// The 2D U-Net of M. Buda, A. Saha, M. A. Mazurowski, "Association of genomic subtypes of lower-grade
/// gliomas with shape features automatically extracted by a deep learning algorithm", Computers in
/// Biology and Medicine 109 (2019), as their `brain-segmentation-pytorch` repository defines it: four
/// levels of two (3×3 conv without bias → BatchNorm → ReLU) blocks with `initFeatures·2^level`
/// channels, 2×2 max pooling down, 2×2 stride-2 transposed convolutions up with the skip
/// concatenated, a 1×1 convolution and a sigmoid.
///
/// `[N, inChannels, H, W]` → probabilities `[N, outChannels, H, W]` (H, W divisible by 16). State-dict
/// keys as the repository's (`encoder1.enc1conv1.weight`, `bottleneck.bottlenecknorm2.running_mean`,
/// `upconv4.weight`, `decoder1.dec1conv2.weight`, `conv.weight`), so its weights load strictly.
public final class BudaUNet: Module, UnaryLayer {
    /// Encoder blocks, finest first.
    public let encoder1, encoder2, encoder3, encoder4: NamedSequential
    /// The block at the coarsest level.
    public let bottleneck: NamedSequential
    /// Upsampling and decoder blocks, coarsest first.
    public let upconv4: ConvTranspose2d, decoder4: NamedSequential
    public let upconv3: ConvTranspose2d, decoder3: NamedSequential
    public let upconv2: ConvTranspose2d, decoder2: NamedSequential
    public let upconv1: ConvTranspose2d, decoder1: NamedSequential
    /// The 1×1 output convolution.
    public let conv: Conv2d

    /// The repository's network (its defaults: 3 input channels, 1 output channel, 32 initial
    /// features), initialised as PyTorch does from `generator` (or the global one).
    public init(inChannels: Int = 3, outChannels: Int = 1, initFeatures: Int = 32, generator: Generator? = nil) {
        func block(_ inputs: Int, _ features: Int, _ name: String) -> NamedSequential {
            NamedSequential([
                (name + "conv1", Conv2d(inputs, features, kernelSize: [3], padding: [1], bias: false,
                                        generator: generator)),
                (name + "norm1", BatchNorm2d(features)), (name + "relu1", ReLU()),
                (name + "conv2", Conv2d(features, features, kernelSize: [3], padding: [1], bias: false,
                                        generator: generator)),
                (name + "norm2", BatchNorm2d(features)), (name + "relu2", ReLU()),
            ])
        }
        func up(_ inputs: Int, _ outputs: Int) -> ConvTranspose2d {
            ConvTranspose2d(inputs, outputs, kernelSize: [2], stride: [2], generator: generator)
        }
        let f = initFeatures
        encoder1 = block(inChannels, f, "enc1")
        encoder2 = block(f, 2 * f, "enc2")
        encoder3 = block(2 * f, 4 * f, "enc3")
        encoder4 = block(4 * f, 8 * f, "enc4")
        bottleneck = block(8 * f, 16 * f, "bottleneck")
        upconv4 = up(16 * f, 8 * f)
        decoder4 = block(16 * f, 8 * f, "dec4")
        upconv3 = up(8 * f, 4 * f)
        decoder3 = block(8 * f, 4 * f, "dec3")
        upconv2 = up(4 * f, 2 * f)
        decoder2 = block(4 * f, 2 * f, "dec2")
        upconv1 = up(2 * f, f)
        decoder1 = block(2 * f, f, "dec1")
        conv = Conv2d(f, outChannels, kernelSize: [1], generator: generator)
    }

    /// The scores before the sigmoid, `[N, outChannels, H, W]`, for a loss that takes logits
    /// (binary cross-entropy with logits is the numerically stable form of the repository's loss).
    public func logits(_ input: Tensor) -> Tensor {
        func pool(_ x: Tensor) -> Tensor { Functional.maxPool2d(x, kernelSize: [2]) }
        let level1 = encoder1(input)
        let level2 = encoder2(pool(level1))
        let level3 = encoder3(pool(level2))
        let level4 = encoder4(pool(level3))
        var hidden = bottleneck(pool(level4))
        hidden = decoder4(Tensor.cat([upconv4(hidden), level4], dim: 1))
        hidden = decoder3(Tensor.cat([upconv3(hidden), level3], dim: 1))
        hidden = decoder2(Tensor.cat([upconv2(hidden), level2], dim: 1))
        hidden = decoder1(Tensor.cat([upconv1(hidden), level1], dim: 1))
        return conv(hidden)
    }

    /// Probabilities `[N, outChannels, H, W]` for images `[N, inChannels, H, W]`.
    public func forward(_ input: Tensor) -> Tensor { logits(input).sigmoid() }
}
