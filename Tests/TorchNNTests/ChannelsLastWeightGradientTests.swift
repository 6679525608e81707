import Testing
@testable import TorchNN
import TorchTestSupport

@Suite("Conv3d's channels-last weight gradient", .serialized)
struct ChannelsLastWeightGradientTests {
    /// Input, weight and bias gradients of one Conv3d step on `input`, on the chosen path.
    private func layerGradients(_ layer: Conv3d, _ input: Tensor, channelsLast: Bool) -> [Tensor] {
        ChannelsLastWeightGradient.isEnabled = channelsLast
        defer { ChannelsLastWeightGradient.isEnabled = true }
        let x = input.detach().requiringGrad()
        let output = layer(x)
        let target = Tensor.randn(output.shape, generator: Generator(seed: 9))
        return gradients(of: [(output * target).sum()], with: [x, layer.weight, layer.bias!]).map { $0! }
    }

    @Test("equals libtorch's own conv3d gradients (strided and padded, with bias)")
    func matchesPlainPath() throws {
        let layer = Conv3d(8, 4, kernelSize: [3], stride: [1, 1, 2], padding: [1], generator: Generator(seed: 1))
        let input = Tensor.randn([2, 8, 34, 32, 70], generator: Generator(seed: 2))
        #expect(ChannelsLastWeightGradient.applies(input: input, weight: layer.weight, stride: layer.stride, groups: 1))
        let plain = layerGradients(layer, input, channelsLast: false)
        let fast = layerGradients(layer, input, channelsLast: true)
        for (name, (a, b)) in zip(["input", "weight", "bias"], zip(plain, fast)) {
            #expect(a.shape == b.shape && b.isContiguous, "\(name)")
            // Sums over 2·34·32·35 voxels in another order: float32 rounding only.
            let scale = a.abs().max().item(Double.self)
            #expect(maxAbsDifference(a, b) <= 1e-5 * scale, "\(name): \(maxAbsDifference(a, b)) of \(scale)")
        }
    }

    @Test("small volumes, few channels, inference and frozen weights keep the plain path")
    func appliesOnlyWhereItPays() throws {
        let layer = Conv3d(8, 8, kernelSize: [3], padding: [1])
        let large = Tensor.zeros([1, 8, 32, 32, 32])
        #expect(ChannelsLastWeightGradient.applies(input: large, weight: layer.weight, stride: [1], groups: 1))
        #expect(!ChannelsLastWeightGradient.applies(
            input: Tensor.zeros([1, 8, 16, 32, 32]), weight: layer.weight, stride: [1], groups: 1))
        #expect(!ChannelsLastWeightGradient.applies(input: large, weight: layer.weight, stride: [2], groups: 1))
        #expect(!ChannelsLastWeightGradient.applies(
            input: Tensor.zeros([1, 4, 32, 32, 32]), weight: Conv3d(4, 8, kernelSize: [3]).weight, stride: [1], groups: 1))
        withoutGradient {
            #expect(!ChannelsLastWeightGradient.applies(input: large, weight: layer.weight, stride: [1], groups: 1))
        }
        _ = layer.freeze()
        #expect(!ChannelsLastWeightGradient.applies(input: large, weight: layer.weight, stride: [1], groups: 1))
    }
}
