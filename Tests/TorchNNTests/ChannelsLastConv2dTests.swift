import Testing
@testable import TorchNN
import TorchTestSupport

@Suite("Conv2d on channels-last inputs: NCHW weight gradient", .serialized)
struct ChannelsLastConv2dTests {
    /// Output and input, weight and bias gradients of one step of `layer` on `input` in `layout`.
    private func step(_ layer: Conv2d, _ input: Tensor, layout: MemoryFormat) -> [Tensor] {
        let x = input.contiguous(memoryFormat: layout).detach().requiringGrad()
        let output = layer(x)
        let target = Tensor.randn(output.shape, generator: Generator(seed: 9))
        return [output.detach()]
            + gradients(of: [(output * target).sum()], with: [x, layer.weight, layer.bias!]).map { $0!.contiguous() }
    }

    @Test("equals libtorch's row-major convolution: output and all gradients (strided and padded, with bias)",
          arguments: [[18, 18, 1, 1], [36, 18, 1, 1], [20, 8, 2, 0]])
    func matchesRowMajorPath(_ sizes: [Int]) throws {
        let (inChannels, outChannels, stride, padding) = (sizes[0], sizes[1], sizes[2], sizes[3])
        let layer = Conv2d(inChannels, outChannels, kernelSize: [3], stride: [stride], padding: [padding],
                           generator: Generator(seed: 1))
        let input = Tensor.randn([2, inChannels, 37, 41], generator: Generator(seed: 2))
        #expect(ChannelsLastConv2d.applies(
            input: input.contiguous(memoryFormat: .channelsLast), weight: layer.weight, groups: 1))
        let plain = step(layer, input, layout: .contiguous)
        let fast = step(layer, input, layout: .channelsLast)
        for (name, (a, b)) in zip(["output", "input", "weight", "bias"], zip(plain, fast)) {
            #expect(a.shape == b.shape, "\(name)")
            // oneDNN's NHWC and blocked kernels sum in another order: float32 rounding only.
            let scale = a.abs().max().item(Double.self)
            #expect(maxAbsDifference(a, b) <= 1e-5 * scale, "\(name): \(maxAbsDifference(a, b)) of \(scale)")
        }
    }

    @Test("row-major inputs, few channels, 1×1 kernels, inference and frozen weights keep libtorch's path")
    func appliesOnlyWhereItPays() throws {
        let layer = Conv2d(18, 18, kernelSize: [3], padding: [1])
        let image = Tensor.zeros([1, 18, 32, 32])
        let channelsLast = image.contiguous(memoryFormat: .channelsLast)
        #expect(ChannelsLastConv2d.applies(input: channelsLast, weight: layer.weight, groups: 1))
        #expect(!ChannelsLastConv2d.applies(input: image, weight: layer.weight, groups: 1))
        #expect(!ChannelsLastConv2d.applies(input: channelsLast, weight: layer.weight, groups: 2))
        #expect(!ChannelsLastConv2d.applies(
            input: Tensor.zeros([1, 8, 32, 32]).contiguous(memoryFormat: .channelsLast),
            weight: Conv2d(8, 18, kernelSize: [3]).weight, groups: 1))
        #expect(!ChannelsLastConv2d.applies(
            input: channelsLast, weight: Conv2d(18, 18, kernelSize: [1]).weight, groups: 1))
        withoutGradient {
            #expect(!ChannelsLastConv2d.applies(input: channelsLast, weight: layer.weight, groups: 1))
        }
        _ = layer.freeze()
        #expect(!ChannelsLastConv2d.applies(input: channelsLast, weight: layer.weight, groups: 1))
    }
}
