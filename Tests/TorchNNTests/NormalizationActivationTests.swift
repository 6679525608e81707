import Testing
@testable import TorchNN
import TorchTestSupport

@Suite("Normalisation + ReLU fused in Sequential", .serialized)
struct NormalizationActivationTests {
    /// Expects `b` to equal `a` within `tolerance` of `a`'s largest magnitude.
    private func expectClose(_ a: Tensor, _ b: Tensor, _ name: String, tolerance: Double = 1e-5) {
        #expect(a.shape == b.shape, "\(name): \(a.shape) vs \(b.shape)")
        let scale = max(a.abs().max().item(Double.self), 1e-30)
        #expect(maxAbsDifference(a, b) <= tolerance * scale, "\(name): \(maxAbsDifference(a, b)) of \(scale)")
    }

    /// The layers' output, the gradients of input, weight and bias, and the state after one
    /// training step, run as `Sequential(norm, activation)` (fused) or one layer after the other
    /// (libtorch's batch or instance norm, then its activation).
    private func step(_ norm: RunningStatisticsNorm & UnaryLayer, _ activation: any UnaryLayer, _ input: Tensor,
                      fused: Bool) -> [String: Tensor] {
        let x = input.detach().requiringGrad()
        let output = fused ? Sequential(norm, activation)(x) : activation(norm(x))
        // Concatenated, as U-Nets do, the output's gradient is a slice of the concatenation's.
        let joined = Tensor.cat([output, output.detach()], dim: 1)
        let target = Tensor.randn(joined.shape, generator: Generator(seed: 9))
            .contiguous(memoryFormat: joined.isChannelsLastCPUImage ? .channelsLast : .contiguous)
        let parameters = [norm.weight, norm.bias].compactMap { $0 }
        let grads = gradients(of: [(joined * target).sum()], with: [x] + parameters).map { $0! }
        var result = ["output": output.detach(), "input gradient": grads[0]]
        if norm.affine { (result["weight gradient"], result["bias gradient"]) = (grads[1], grads[2]) }
        if let mean = norm.runningMean, let variance = norm.runningVar, let count = norm.numBatchesTracked {
            (result["running mean"], result["running var"]) = (mean.clone(), variance.clone())
            result["batches"] = count.clone()
        }
        return result
    }

    /// Expects the fused step to equal the layer-by-layer one: output, gradients, running statistics.
    private func expectFusedMatches(_ makeNorm: () -> RunningStatisticsNorm & UnaryLayer,
                                    _ activation: any UnaryLayer, _ input: Tensor) {
        /// A new layer, its affine parameters away from their initial ones and zeros.
        func configured() -> RunningStatisticsNorm & UnaryLayer {
            let norm = makeNorm()
            if let weight = norm.weight, let bias = norm.bias {
                withoutGradient {
                    _ = weight.mul_(0).add_(Tensor.rand([norm.numFeatures], generator: Generator(seed: 2)) + 0.5)
                    _ = bias.mul_(0).add_(Tensor.randn([norm.numFeatures], generator: Generator(seed: 3)))
                }
            }
            return norm
        }
        #expect(NormalizationActivation.fusedOutput(configured(), activation, input) != nil)
        let reference = step(configured(), activation, input, fused: false)
        let fused = step(configured(), activation, input, fused: true)
        #expect(Set(reference.keys) == Set(fused.keys))
        for (name, expected) in reference {
            if name == "batches" { #expect(maxAbsDifference(expected, fused[name]!) == 0, "batches") }
            else { expectClose(expected, fused[name]!, name) }
        }
    }

    @Test("BatchNorm (running statistics, cumulative average, none; 1-d to 3-d) + ReLU or LeakyReLU equals the layers")
    func batchNorm() throws {
        let image = Tensor.randn([3, 5, 17, 13], generator: Generator(seed: 1)) * 3 + 1
        expectFusedMatches({ BatchNorm2d(5) }, ReLU(inPlace: true), image)
        expectFusedMatches({ BatchNorm2d(5, momentum: nil) }, LeakyReLU(negativeSlope: 0.2), image)
        expectFusedMatches({ BatchNorm2d(5, affine: false, trackRunningStats: false) }, ReLU(), image)
        expectFusedMatches({ BatchNorm1d(4) }, ReLU(), Tensor.randn([6, 4, 9], generator: Generator(seed: 4)))
        expectFusedMatches({ BatchNorm1d(4) }, ReLU(), Tensor.randn([6, 4], generator: Generator(seed: 5)))
        let volume = Tensor.randn([2, 2, 5, 6, 7], generator: Generator(seed: 6))
        expectFusedMatches({ BatchNorm3d(2) }, LeakyReLU(), volume)
    }

    @Test("InstanceNorm (with and without affine; row-major and channels-last) + LeakyReLU equals the two layers")
    func instanceNorm() throws {
        let image = Tensor.randn([2, 6, 19, 11], generator: Generator(seed: 7)) - 2
        expectFusedMatches({ InstanceNorm2d(6) }, LeakyReLU(negativeSlope: 0.2, inPlace: true), image)
        expectFusedMatches({ InstanceNorm2d(6, affine: true) }, ReLU(), image)
        let volume = Tensor.randn([1, 3, 4, 5, 6], generator: Generator(seed: 8))
        expectFusedMatches({ InstanceNorm3d(3) }, LeakyReLU(), volume)
        // Channels-last images (fastMRI's U-Net in VarNet) take the channels-last kernel.
        let channelsLast = (Tensor.randn([2, 18, 21, 14], generator: Generator(seed: 9)) + 1)
            .contiguous(memoryFormat: .channelsLast)
        expectFusedMatches({ InstanceNorm2d(18) }, LeakyReLU(negativeSlope: 0.2, inPlace: true), channelsLast)
        expectFusedMatches({ InstanceNorm2d(18) }, ReLU(), channelsLast)
        let output = Sequential(InstanceNorm2d(18), LeakyReLU(negativeSlope: 0.2))(channelsLast)
        #expect(output.isChannelsLastCPUImage)
    }

    @Test("evaluation, running-statistics instance norm, other types, channels-last, hooks and checkpoints run the layers")
    func fallsBackWhereItDoesNotApply() throws {
        let image = Tensor.randn([2, 4, 8, 8], generator: Generator(seed: 1))
        let relu = ReLU()
        #expect(NormalizationActivation.fusedOutput(BatchNorm2d(4).eval(), relu, image) == nil)
        #expect(NormalizationActivation.fusedOutput(InstanceNorm2d(4, trackRunningStats: true), relu, image) == nil)
        #expect(NormalizationActivation.fusedOutput(BatchNorm2d(4), relu, image.to(dtype: .float64)) == nil)
        let channelsLast = image.contiguous(memoryFormat: .channelsLast)
        #expect(NormalizationActivation.fusedOutput(BatchNorm2d(4), relu, channelsLast) == nil)
        #expect(NormalizationActivation.fusedOutput(InstanceNorm2d(4, affine: true), relu, channelsLast) == nil)
        #expect(NormalizationActivation.fusedOutput(BatchNorm2d(4), Sigmoid(), image) == nil)
        #expect(NormalizationActivation.fusedOutput(BatchNorm2d(4).checkpointed(), relu, image) == nil)
        // One value per channel: libtorch's path reports it.
        #expect(NormalizationActivation.fusedOutput(BatchNorm1d(4), relu, Tensor.randn([1, 4])) == nil)
        #expect(NormalizationActivation.fusedOutput(BatchNorm1d(4), relu, Tensor.randn([4])) == nil)
        #expect(NormalizationActivation.fusedOutput(BatchNorm1d(0), relu, Tensor.randn([3, 0])) == nil)
        var seen: [String] = []
        let model = Sequential(BatchNorm2d(4), ReLU())
        _ = Module.withForwardHook({ layer, _, _ in seen.append(String(describing: type(of: layer))) }) { model(image) }
        #expect(seen == ["BatchNorm2d", "ReLU", "Sequential"])
    }
}
