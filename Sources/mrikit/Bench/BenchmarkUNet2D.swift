import TorchNN

/// The 2D segmentation U-Net of Buda et al. (the LGG FLAIR model of seed 004): four levels of
/// two (3×3 conv without bias → BatchNorm → ReLU) blocks, 2×2 max pooling down, 2×2 stride-2
/// transposed convolutions up with skip concatenation, and a 1×1 output convolution.
///
/// Here only as the benchmark's workload (`bench/torch_peer.py` builds the same network in
/// PyTorch); the segmentation models proper belong to MRIModels.
final class BenchmarkUNet2D: Module, UnaryLayer {
    let encoder1: Sequential
    let encoder2: Sequential
    let encoder3: Sequential
    let encoder4: Sequential
    let bottleneck: Sequential
    let upconv4: ConvTranspose2d
    let decoder4: Sequential
    let upconv3: ConvTranspose2d
    let decoder3: Sequential
    let upconv2: ConvTranspose2d
    let decoder2: Sequential
    let upconv1: ConvTranspose2d
    let decoder1: Sequential
    let conv: Conv2d

    /// A U-Net from `inChannels` to `outChannels` with `features` channels at the first level.
    init(inChannels: Int = 3, outChannels: Int = 1, features: Int = 16, generator: Generator) {
        func block(_ inputs: Int, _ outputs: Int) -> Sequential {
            Sequential(
                Conv2d(inputs, outputs, kernelSize: [3], padding: [1], bias: false, generator: generator),
                BatchNorm2d(outputs), ReLU(),
                Conv2d(outputs, outputs, kernelSize: [3], padding: [1], bias: false, generator: generator),
                BatchNorm2d(outputs), ReLU())
        }
        func up(_ inputs: Int, _ outputs: Int) -> ConvTranspose2d {
            ConvTranspose2d(inputs, outputs, kernelSize: [2], stride: [2], generator: generator)
        }
        let f = features
        encoder1 = block(inChannels, f)
        encoder2 = block(f, 2 * f)
        encoder3 = block(2 * f, 4 * f)
        encoder4 = block(4 * f, 8 * f)
        bottleneck = block(8 * f, 16 * f)
        upconv4 = up(16 * f, 8 * f)
        decoder4 = block(16 * f, 8 * f)
        upconv3 = up(8 * f, 4 * f)
        decoder3 = block(8 * f, 4 * f)
        upconv2 = up(4 * f, 2 * f)
        decoder2 = block(4 * f, 2 * f)
        upconv1 = up(2 * f, f)
        decoder1 = block(2 * f, f)
        conv = Conv2d(f, outChannels, kernelSize: [1], generator: generator)
    }

    /// Logits `[N, outChannels, H, W]` for images `[N, inChannels, H, W]` (H, W divisible by 16).
    func forward(_ input: Tensor) -> Tensor {
        func pool(_ x: Tensor) -> Tensor { Functional.maxPool2d(x, kernelSize: [2], stride: [2]) }
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
}

/// Seconds per Adam training step (BCE-with-logits loss) of `BenchmarkUNet2D` on a
/// `[4, 3, 128, 128]` batch.
func unetTrainingStep(steps: Int, device: Device) -> () -> Double {
    let generator = Generator(seed: 2)
    let input = Tensor.randn([4, 3, 128, 128], generator: generator).to(device: device)
    let target = (Tensor.rand([4, 1, 128, 128], generator: generator) .> 0.5).to(device: device, dtype: .float32)
    let network = BenchmarkUNet2D(generator: generator).to(device: device)
    let optimizer = Adam(parameters: network.namedParameters(), lr: 1e-4)
    return {
        let seconds = measure {
            for _ in 0..<steps {
                let loss = Functional.binaryCrossEntropyWithLogits(network(input), target: target)
                loss.backward()
                optimizer.step()
                optimizer.zeroGrad()
            }
            if device.kind == .cuda { Runtime.synchronize(cudaDevice: device.index ?? 0) }
        }
        return seconds / Double(steps)
    }
}
