import Testing
@testable import Torch
import TorchTestSupport

@Suite("Channels-last layout: fast dense copies and instance normalisation")
struct ChannelsLastTests {
    @Test("contiguous() of channels-last float32 images equals the row-major original exactly",
          arguments: [[1, 18, 37, 41], [3, 5, 16, 300], [2, 64, 9, 9], [2, 1, 5, 7], [1, 3, 1, 1]])
    func contiguousCopy(_ shape: [Int]) throws {
        let original = Tensor.randn(shape, generator: Generator(seed: 1))
        let channelsLast = original.contiguous(memoryFormat: .channelsLast)
        #expect(channelsLast.isContiguous(memoryFormat: .channelsLast))
        let copy = channelsLast.contiguous()
        #expect(copy.isContiguous && copy.shape == shape)
        #expect(maxAbsDifference(copy, original) == 0)
    }

    @Test("contiguous() of strided channels-last views and of tensors that need gradients stays correct")
    func contiguousFallbacks() throws {
        let original = Tensor.randn([2, 6, 10, 12], generator: Generator(seed: 2))
        let view = original.contiguous(memoryFormat: .channelsLast)[0..., 1..<5, 0..., 2..<9]
        #expect(!view.isContiguous(memoryFormat: .channelsLast))
        #expect(maxAbsDifference(view.contiguous(), original[0..., 1..<5, 0..., 2..<9]) == 0)
        let leaf = original.contiguous(memoryFormat: .channelsLast).requiringGrad()
        let copy = leaf.contiguous()
        #expect(copy.requiresGrad)
        let gradient = gradients(of: [(copy * copy).sum()], with: [leaf])[0]!
        #expect(maxAbsDifference(gradient, 2 * original) <= 1e-6)
    }

    /// Instance norm output and input gradient of `input` (given `outputGradient`), in `layout`.
    private func instanceNorm(_ input: Tensor, _ outputGradient: Tensor, layout: MemoryFormat,
                              weight: Tensor? = nil, bias: Tensor? = nil) -> (Tensor, Tensor) {
        let x = input.contiguous(memoryFormat: layout).requiringGrad()
        let y = Functional.instanceNorm(x, weight: weight, bias: bias)
        #expect(y.isContiguous(memoryFormat: layout))
        let gradient = gradients(of: [(y * outputGradient).sum()], with: [x])[0]!
        return (y.detach().contiguous(), gradient.contiguous())
    }

    @Test("instance norm of channels-last images equals libtorch's (float64) group norm: output and input gradient",
          arguments: [([1, 72, 17, 18], 0.0), ([1, 72, 8, 9], 0.0), ([1, 18, 320, 320], 0.0), ([2, 36, 37, 41], 0.0), ([2, 5, 33, 70], 100.0), ([1, 144, 40, 40], -3.0)])
    func instanceNormMatchesGroupNorm(_ shape: [Int], _ offset: Double) throws {
        // An offset far from the spread (100 against 0.5) checks that the variance does not cancel:
        // there float32 itself resolves the inputs to 4e-6, 8e-6 once normalised.
        let input = Tensor.randn(shape, generator: Generator(seed: 3)) * 0.5 + offset
        let outputGradient = Tensor.randn(shape, generator: Generator(seed: 4))
        let (reference, referenceGradient) = instanceNorm(
            input.to(dtype: .float64), outputGradient.to(dtype: .float64), layout: .contiguous)
        let (output, inputGradient) = instanceNorm(input, outputGradient, layout: .channelsLast)
        let outputError = maxAbsDifference(output.to(dtype: .float64), reference)
        #expect(outputError <= 2e-5, "output: \(outputError)")
        let scale = referenceGradient.abs().max().item(Double.self)
        let error = maxAbsDifference(inputGradient.to(dtype: .float64), referenceGradient)
        #expect(error <= 2e-5 * scale, "input gradient: \(error) of \(scale)")
    }

    @Test("instance norm of channels-last images applies the affine weight and bias")
    func instanceNormAffine() throws {
        let input = Tensor.randn([2, 4, 9, 11], generator: Generator(seed: 5))
        let weight = Tensor.randn([4], generator: Generator(seed: 6))
        let bias = Tensor.randn([4], generator: Generator(seed: 7))
        let outputGradient = Tensor.randn([2, 4, 9, 11], generator: Generator(seed: 8))
        let (reference, referenceGradient) = instanceNorm(
            input, outputGradient, layout: .contiguous, weight: weight, bias: bias)
        let (output, inputGradient) = instanceNorm(
            input, outputGradient, layout: .channelsLast, weight: weight, bias: bias)
        #expect(maxAbsDifference(output, reference) <= 1e-5)
        #expect(maxAbsDifference(inputGradient, referenceGradient) <= 1e-5)
    }
}
