import TorchNN

/// Seconds per forward and backward pass (input and weight gradients, from a given output
/// gradient) over the wide "same" 3×3 convolutions of a U-Net's middle levels, no bias: 64→64 on
/// 160², 128→128 on 80², 256→256 on 40², 512→256 on 40² (`bench/torch_peer.py conv3x3`). On the
/// CPU their weight gradients take ``WinogradWeightGradient``'s path.
func wideConvolutionPasses(steps: Int, device: Device) -> () -> Double {
    let generator = Generator(seed: 4)
    let cases = [(64, 64, 160), (128, 128, 80), (256, 256, 40), (512, 256, 40)].map { inChannels, outChannels, size in
        let layer = Conv2d(inChannels, outChannels, kernelSize: [3], padding: [1], bias: false, generator: generator)
            .to(device: device)
        let input = Tensor.randn([1, inChannels, size, size], generator: generator).to(device: device).requiringGrad()
        let gradient = Tensor.randn([1, outChannels, size, size], generator: generator).to(device: device)
        return (layer, input, gradient)
    }
    return {
        let seconds = measure {
            for _ in 0..<steps {
                for (layer, input, gradient) in cases {
                    layer(input).backward(gradient: gradient)
                    layer.weight.grad = nil
                    input.grad = nil
                }
            }
            if device.kind == .cuda { Runtime.synchronize(cudaDevice: device.index ?? 0) }
        }
        return seconds / Double(steps)
    }
}
