import Torch

/// A four-layer convolutional network (1→32→32→32→1 channels, 3×3 kernels, padding 1,
/// ReLU between layers) trained by plain SGD on an MSE loss.
///
/// It is the demo's model and the benchmark's conv-net workload; `bench/torch_peer.py`
/// builds the same network from the same seed, so both sides do identical work.
struct TinyConvNet {
    /// Weights `[out, in, 3, 3]` and biases `[out]`, alternating, layer by layer.
    let parameters: [Tensor]

    /// He-initialised weights drawn from `Generator(seed: seed)`, zero biases.
    init(seed: UInt64, device: Device) {
        let generator = Generator(seed: seed)
        var parameters: [Tensor] = []
        for (outChannels, inChannels) in [(32, 1), (32, 32), (32, 32), (1, 32)] {
            let scale = (2.0 / Double(9 * inChannels)).squareRoot()
            let weight = Tensor.randn([outChannels, inChannels, 3, 3], generator: generator) * scale
            parameters.append(weight.to(device: device).requiringGrad())
            parameters.append(Tensor.zeros([outChannels], device: device).requiringGrad())
        }
        self.parameters = parameters
    }

    /// The network's output for a batch `[N, 1, H, W]`.
    func callAsFunction(_ input: Tensor) -> Tensor {
        var hidden = input
        for layer in 0..<4 {
            hidden = Functional.conv2d(
                hidden, weight: parameters[2 * layer], bias: parameters[2 * layer + 1], padding: [1])
            if layer < 3 { hidden = hidden.relu() }
        }
        return hidden
    }

    /// One step: forward, MSE loss against `target`, backward, `p -= learningRate·∇p`.
    /// Returns the loss before the update.
    @discardableResult
    func trainingStep(input: Tensor, target: Tensor, learningRate: Double) -> Tensor {
        let loss = Functional.mseLoss(self(input), target: target)
        loss.backward()
        withoutGradient {
            for parameter in parameters {
                if let gradient = parameter.grad { parameter -= gradient * learningRate }
                parameter.grad = nil
            }
        }
        return loss
    }
}
