import Foundation
import Testing
import TorchTestSupport

@testable import TorchNN

@Suite("Training utilities")
struct TrainingUtilityTests {
    /// Parameters holding the fixture's three gradients.
    private func parametersWithFixtureGradients(_ fixture: Fixture) -> [Tensor] {
        (0..<3).map { index in
            let gradient = fixture.tensor("grad.\(index)")
            let parameter = Tensor.zeros(like: gradient).requiringGrad()
            parameter.grad = gradient.clone()
            return parameter
        }
    }

    /// The same foreach norm, stack, vector norm and clamp as PyTorch: equal to float32 rounding.
    @Test("clipGradNorm matches torch.nn.utils.clip_grad_norm_",
          arguments: [("2", 2.0), ("1", 1.0), ("inf", Double.infinity)])
    func clipNorm(_ name: String, _ normType: Double) throws {
        let fixture = try Fixture("training_utilities")
        let parameters = parametersWithFixtureGradients(fixture)
        let total = clipGradNorm(parameters, maxNorm: 1.5, normType: normType)
        expectClose(total, fixture.tensor("clip_norm.\(name).total"), tolerance: 1e-6)
        for (index, parameter) in parameters.enumerated() {
            expectClose(parameter.grad!, fixture.tensor("clip_norm.\(name).\(index)"), tolerance: 1e-7)
        }
    }

    @Test("clipGradValue matches torch.nn.utils.clip_grad_value_")
    func clipValue() throws {
        let fixture = try Fixture("training_utilities")
        let parameters = parametersWithFixtureGradients(fixture)
        clipGradValue(parameters, clipValue: 0.7)
        for (index, parameter) in parameters.enumerated() {
            expectClose(parameter.grad!, fixture.tensor("clip_value.\(index)"), tolerance: 0)
        }
    }

    /// `_foreach_lerp_` versus the reference's `mul_(decay).add_(w, alpha=1 − decay)`: the same
    /// average up to float32 rounding of values of size ~1 (a few ulp after 5 updates).
    @Test("EMA follows the reference average and copies to and from parameters")
    func ema() throws {
        let fixture = try Fixture("training_utilities")
        func weights(_ prefix: String) -> [Tensor] { (0..<2).map { fixture.tensor("\(prefix).\($0)") } }
        let parameters = weights("ema.initial")
        let ema = ExponentialMovingAverage(parameters: parameters, decay: 0.9)
        for step in 0..<5 {
            ema.update(from: weights("ema.weights.\(step)"))
            for (index, expected) in weights("ema.average.\(step)").enumerated() {
                expectClose(ema.averages["\(index)"]!, expected, tolerance: 1e-6, "step \(step)")
            }
        }
        let named = parameters.enumerated().map { (String($0.offset), $0.element) }
        ema.copy(to: named)
        #expect(maxAbsDifference(parameters[0], ema.averages["0"]!) == 0)
        _ = parameters[1].mul_(2.0)
        ema.copy(from: named)
        #expect(maxAbsDifference(ema.averages["1"]!, parameters[1]) == 0)

        let restored = ExponentialMovingAverage(parameters: weights("ema.initial"), decay: 0.9)
        try restored.loadStateDict(ema.stateDict())
        #expect(maxAbsDifference(restored.averages["1"]!, parameters[1]) == 0)
        #expect(throws: TrainingStateError.self) { try restored.loadStateDict(["0": Tensor.zeros([3, 4])]) }
    }

    /// k micro-batches with the loss scaled by 1/k accumulate the gradient of the whole batch.
    @Test("gradient accumulation steps every k micro-batches with the full-batch gradient")
    func accumulation() throws {
        let generator = Generator(seed: 3)
        let x = Tensor.randn([8, 3], generator: generator), y = Tensor.randn([8], generator: generator)
        let weight = Tensor.zeros([3]).requiringGrad()
        func loss(_ rows: Range<Int>) -> Tensor { Functional.mseLoss(x[rows].matmul(weight), target: y[rows]) }
        loss(0..<8).backward()
        let fullGradient = weight.grad!.clone()
        weight.grad = nil

        var accumulation = GradientAccumulation(steps: 4)
        var stepsTaken: [Bool] = []
        for start in stride(from: 0, to: 8, by: 2) {
            accumulation.scaled(loss(start..<(start + 2))).backward()
            stepsTaken.append(accumulation.accumulate())
        }
        #expect(stepsTaken == [false, false, false, true])
        #expect(!accumulation.hasPending)
        // Summing four float32 partial gradients instead of one: rounding of values ~1.
        expectClose(weight.grad!, fullGradient, tolerance: 1e-6)
    }

    @Test("GradScaler skips a step with an inf gradient and backs off; grows after clean steps")
    func gradScaler() {
        let weight = Tensor([1.0, 2.0] as [Float], shape: [2]).requiringGrad()
        let sgd = SGD(parameters: [weight], lr: 0.5)
        let scaler = GradScaler(initScale: 8, growthInterval: 2)

        // A clean step: the gradient 2w arrives scaled by 8 and is unscaled before the step.
        scaler.scale((weight * weight).sum()).backward()
        scaler.unscale_(sgd)
        #expect(weight.grad!.toArray(of: Float.self) == [2, 4])
        #expect(scaler.step(sgd))
        scaler.update()
        #expect(weight.toArray(of: Float.self) == [0, 0])
        #expect(scaler.scale == 8)

        // An inf gradient: no step, the scale halves, the growth count restarts.
        sgd.zeroGrad()
        weight.grad = Tensor([Float.infinity, 1], shape: [2])
        _ = scaler.scale(Tensor.zeros([]))
        #expect(!scaler.step(sgd))
        scaler.update()
        #expect(weight.toArray(of: Float.self) == [0, 0])
        #expect(scaler.scale == 4)

        // Two clean steps in a row (growthInterval) double the scale.
        for _ in 0..<2 {
            weight.grad = Tensor([1, 1] as [Float], shape: [2])
            #expect(scaler.step(sgd))
            scaler.update()
        }
        #expect(scaler.scale == 8)
        #expect(scaler.stateDict()["scale"]?.item(Double.self) == 8)
    }

    @Test("a disabled GradScaler passes through")
    func disabledScaler() {
        let weight = Tensor([1.0] as [Float], shape: [1]).requiringGrad()
        let sgd = SGD(parameters: [weight], lr: 0.5)
        let scaler = GradScaler(enabled: false)
        let loss = (weight * weight).sum()
        #expect(scaler.scale(loss) === loss)
        loss.backward()
        #expect(scaler.step(sgd))
        scaler.update()
        #expect(weight.toArray(of: Float.self) == [0])
        #expect(scaler.scale == 1)
    }

    @Test("autocast runs matmul and conv in bfloat16 on the CPU, nests and restores")
    func autocast() {
        let generator = Generator(seed: 5)
        let a = Tensor.randn([4, 4], generator: generator)
        let image = Tensor.randn([1, 2, 5, 5], generator: generator)
        let kernel = Tensor.randn([3, 2, 3, 3], generator: generator)
        #expect(!isAutocastEnabled())
        withAutocast(device: .cpu, dtype: .bfloat16) {
            #expect(isAutocastEnabled())
            #expect(a.matmul(a).dtype == .bfloat16)
            #expect(Functional.conv2d(image, weight: kernel).dtype == .bfloat16)
            withAutocast(dtype: .float16) {
                #expect(a.matmul(a).dtype == .float16)
            }
            withAutocast(enabled: false) {
                #expect(a.matmul(a).dtype == .float32)
            }
            #expect(autocastDType() == .bfloat16)
            #expect(a.matmul(a).dtype == .bfloat16)
        }
        #expect(!isAutocastEnabled())
        #expect(a.matmul(a).dtype == .float32)
    }
}
