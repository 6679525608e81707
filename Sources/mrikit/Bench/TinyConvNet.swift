import TorchNN

/// A four-layer convolutional network (1→32→32→32→1 channels, 3×3 kernels, padding 1,
/// ReLU between layers) trained by plain SGD on an MSE loss.
///
/// It is the demo's model and the benchmark's conv-net workload. `bench/torch_peer.py`
/// builds the same `nn.Sequential` after `torch.manual_seed(seed)`; PyTorch's default
/// initialisation then draws the same numbers as `Generator(seed:)` does here, so both
/// sides start from identical weights and do identical work.
struct TinyConvNet {
    let network: Sequential
    let optimizer: SGD

    /// PyTorch-default-initialised layers drawn from `Generator(seed: seed)`, moved to `device`.
    init(seed: UInt64, device: Device, learningRate: Double) {
        let generator = Generator(seed: seed)
        func conv(_ inChannels: Int, _ outChannels: Int) -> Conv2d {
            Conv2d(inChannels, outChannels, kernelSize: [3], padding: [1], generator: generator)
        }
        network = Sequential(conv(1, 32), ReLU(), conv(32, 32), ReLU(), conv(32, 32), ReLU(), conv(32, 1))
            .to(device: device)
        optimizer = SGD(parameters: network.namedParameters(), lr: learningRate)
    }

    /// One step: forward, MSE loss against `target`, backward, SGD update. Returns the loss
    /// before the update.
    @discardableResult
    func trainingStep(input: Tensor, target: Tensor) -> Tensor {
        let loss = Functional.mseLoss(network(input), target: target)
        loss.backward()
        optimizer.step()
        optimizer.zeroGrad()
        return loss
    }
}
