import Testing
@testable import TorchNN
import TorchTestSupport

@Suite("Conv2d's Winograd F(4×4, 3×3) weight gradient", .serialized)
struct WinogradWeightGradientTests {
    /// Expects `b` to equal libtorch's direct result `a` within `tolerance` of `a`'s largest magnitude.
    private func expectClose(_ a: Tensor, _ b: Tensor, _ name: String, tolerance: Double) {
        #expect(a.shape == b.shape, "\(name): \(a.shape) vs \(b.shape)")
        let scale = a.abs().max().item(Double.self)
        #expect(maxAbsDifference(a, b) <= tolerance * scale, "\(name): \(maxAbsDifference(a, b)) of \(scale)")
    }

    /// The weight gradient of the "same" 3×3 convolution of `input` given `outputGradient`, by
    /// libtorch's direct path in `dtype`.
    private func directWeightGradient(_ input: Tensor, _ outputGradient: Tensor, _ channels: Int,
                                      dtype: DType) -> Tensor {
        let weight = Tensor.zeros([outputGradient.shape[1], channels, 3, 3], dtype: dtype).requiringGrad()
        let output = Functional.conv2d(input.to(dtype: dtype), weight: weight, padding: [1])
        return gradients(of: [(output * outputGradient.to(dtype: dtype)).sum()], with: [weight])[0]!
    }

    /// The last shape spans several bands of tile rows (the transforms' unit of work: 512 tiles, here
    /// 15 rows of 33), the last one ragged.
    @Test("is within F(4×4, 3×3)'s float32 error of the exact (float64) weight gradient, on whole and ragged tiles",
          arguments: [[2, 5, 7, 13, 22], [1, 16, 16, 4, 4], [1, 3, 2, 1, 9], [3, 24, 40, 33, 31], [2, 64, 64, 38, 41],
                      [2, 3, 4, 199, 130]])
    func matchesExactGradient(_ sizes: [Int]) throws {
        let (n, ci, co, h, w) = (sizes[0], sizes[1], sizes[2], sizes[3], sizes[4])
        let input = Tensor.randn([n, ci, h, w], generator: Generator(seed: 1))
        let outputGradient = Tensor.randn([n, co, h, w], generator: Generator(seed: 3))
        let exact = directWeightGradient(input, outputGradient, ci, dtype: .float64)
        let winograd = Functional.winogradConv2dWeightGradient(input: input, outputGradient: outputGradient)
        // Direct float32 correlation is within 2–5e-6 of the scale here; F(4×4, 3×3)'s transforms
        // (coefficients up to 8 and 1/24) make its error about 10× that: 2.5e-5 at most over these shapes.
        expectClose(exact, winograd.to(dtype: .float64), "weight gradient", tolerance: 5e-5)
        #expect(winograd.dtype == .float32 && winograd.shape == [co, ci, 3, 3])
    }

    /// The second case is a VarNet layer's: 18 channels (oneDNN pads them to 24) in channels-last
    /// layout, whose other path is ``ChannelsLastConv2d``'s.
    @Test("a Conv2d training step equals libtorch's: output and input gradient exactly, weight and bias gradients",
          arguments: [(64, false), (18, true)])
    func layerMatchesPlainPath(channels: Int, channelsLast: Bool) throws {
        let layer = Conv2d(channels, channels, kernelSize: [3], padding: [1], generator: Generator(seed: 4))
        let image = Tensor.randn([2, channels, 38, 41], generator: Generator(seed: 5))
        let input = channelsLast ? image.contiguous(memoryFormat: .channelsLast) : image
        #expect(WinogradWeightGradient.applies(
            input: input, weight: layer.weight, stride: layer.stride, padding: layer.padding,
            dilation: layer.dilation, groups: 1))
        func step(winograd: Bool) -> [Tensor] {
            WinogradWeightGradient.isEnabled = winograd
            defer { WinogradWeightGradient.isEnabled = true }
            let x = input.detach().requiringGrad()
            let output = layer(x)
            let target = Tensor.randn(output.shape, generator: Generator(seed: 9))
            return [output.detach()]
                + gradients(of: [(output * target).sum()], with: [x, layer.weight, layer.bias!]).map { $0! }
        }
        let (plain, fast) = (step(winograd: false), step(winograd: true))
        #expect(maxAbsDifference(plain[0], fast[0]) == 0, "output")
        #expect(maxAbsDifference(plain[1], fast[1]) == 0, "input gradient")
        expectClose(plain[2], fast[2], "weight gradient", tolerance: 5e-5)
        expectClose(plain[3], fast[3], "bias gradient", tolerance: 1e-5)  // another summation order
    }

    @Test("other convolutions, few channels, small images, inference and frozen weights keep libtorch's path")
    func appliesOnlyWhereItPays() throws {
        let layer = Conv2d(64, 64, kernelSize: [3], padding: [1])
        let image = Tensor.zeros([1, 64, 40, 40])
        func applies(_ input: Tensor, _ weight: Tensor, stride: [Int] = [1, 1], padding: [Int] = [1, 1],
                     dilation: [Int] = [1, 1]) -> Bool {
            WinogradWeightGradient.applies(
                input: input, weight: weight, stride: stride, padding: padding, dilation: dilation, groups: 1)
        }
        #expect(applies(image, layer.weight))
        #expect(!applies(image, layer.weight, stride: [2, 2]))
        #expect(!applies(image, layer.weight, padding: [0, 0]))
        #expect(!applies(image, layer.weight, dilation: [2, 2]))
        // 32 channels on images of 32² or more (64 tiles).
        let narrow = Conv2d(32, 64, kernelSize: [3], padding: [1]).weight
        #expect(applies(Tensor.zeros([1, 32, 32, 32]), narrow))
        #expect(!applies(Tensor.zeros([4, 32, 28, 28]), narrow))
        #expect(!applies(Tensor.zeros([1, 16, 64, 64]), Conv2d(16, 32, kernelSize: [3], padding: [1]).weight))
        // From 64 channels on: images of 16² or more (16 tiles), whatever the batch.
        #expect(applies(Tensor.zeros([1, 64, 16, 16]), layer.weight))
        #expect(applies(Tensor.zeros([1, 64, 13, 13]), layer.weight))
        #expect(!applies(Tensor.zeros([8, 64, 12, 12]), layer.weight))
        let wide = Conv2d(512, 512, kernelSize: [3], padding: [1]).weight
        #expect(applies(Tensor.zeros([1, 512, 16, 16]), wide))
        #expect(!applies(Tensor.zeros([4, 512, 8, 8]), wide))
        // 9–31 channels that oneDNN pads to whole blocks of 8, on images of 32² or more.
        let padded = Conv2d(18, 18, kernelSize: [3], padding: [1]).weight
        #expect(applies(Tensor.zeros([1, 18, 320, 320]), padded))
        #expect(applies(Tensor.zeros([1, 18, 32, 32]), padded))
        #expect(!applies(Tensor.zeros([1, 18, 28, 28]), padded))
        #expect(!applies(Tensor.zeros([1, 24, 256, 256]), Conv2d(24, 24, kernelSize: [3], padding: [1]).weight))
        #expect(!applies(Tensor.zeros([1, 8, 256, 256]), Conv2d(8, 8, kernelSize: [3], padding: [1]).weight))
        #expect(!applies(Tensor.zeros([1, 2, 320, 320]), Conv2d(2, 18, kernelSize: [3], padding: [1]).weight))
        #expect(!applies(image, Conv2d(64, 64, kernelSize: [5], padding: [1]).weight))
        withoutGradient { #expect(!applies(image, layer.weight)) }
        _ = layer.freeze()
        #expect(!applies(image, layer.weight))
    }
}
