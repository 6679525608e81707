import Testing

@testable import Torch
import TorchTestSupport

private func cube(_ a: Tensor) -> Tensor { a * a * a }

/// y = x³·w as a custom function; `derivativeFactor` 3 is the true dy/dx coefficient, any
/// other value a deliberately wrong backward.
private func cubeTimes(_ x: Tensor, _ w: Tensor, derivativeFactor: Double = 3) -> Tensor {
    CustomFunction.apply(inputs: [x, w]) { inputs, context in
        context.saveForBackward(inputs)
        return [cube(inputs[0]) * inputs[1]]
    } backward: { gradOutputs, context in
        let (x, w, gradient) = (context.savedTensors[0], context.savedTensors[1], gradOutputs[0])
        return [x * x * w * derivativeFactor * gradient, cube(x) * gradient]
    }[0]
}

/// sin(x²) as a custom function with two saved tensors and a chain-rule backward.
private func sinOfSquare(_ x: Tensor) -> Tensor {
    CustomFunction.apply(inputs: [x]) { inputs, context in
        context.saveForBackward(inputs)
        return [(inputs[0] * inputs[0]).sin()]
    } backward: { gradOutputs, context in
        let x = context.savedTensors[0]
        let derivative = (x * x).cos() * x * 2.0
        return [derivative * gradOutputs[0]]
    }[0]
}

/// exp(x) as a custom function whose backward uses its saved output: d/dx eˣ = eˣ.
private func customExp(_ x: Tensor, onRelease: (() -> Void)? = nil) -> Tensor {
    let sentinel = onRelease.map(Sentinel.init)
    return CustomFunction.apply(inputs: [x]) { inputs, context in
        let output = inputs[0].exp()
        context.saveForBackward([output])
        return [output]
    } backward: { gradOutputs, context in
        withExtendedLifetime(sentinel) { [context.savedTensors[0] * gradOutputs[0]] }
    }[0]
}

/// Calls `onDeinit` when freed: shows when a closure that captured it was released.
private final class Sentinel {
    let onDeinit: () -> Void
    init(_ onDeinit: @escaping () -> Void) { self.onDeinit = onDeinit }
    deinit { onDeinit() }
}

@Suite("Custom autograd functions")
struct CustomFunctionTests {
    let fixture: Fixture

    init() throws { fixture = try Fixture("autograd") }

    private func fixtureInputs() -> (x: Tensor, w: Tensor, v: Tensor) {
        (fixture.tensor("cube_x").requiringGrad(), fixture.tensor("cube_w").requiringGrad(), fixture.tensor("cube_v"))
    }

    @Test("a Swift backward gives PyTorch's gradients of x³·w")
    func cubeMatchesPyTorch() {
        let (x, w, v) = fixtureInputs()
        let y = cubeTimes(x, w)
        #expect(y.gradFunctionName?.contains("SwiftFunction") == true, "\(y.gradFunctionName ?? "leaf")")
        weightedSum(y, v).backward()
        // float64 products of O(1) values in a different order than PyTorch's MulBackward:
        // a few ulps of values below 30.
        expectClose(x.grad ?? Tensor.placeholder(), fixture.tensor("cube_grad_x"), tolerance: 1e-13)
        expectClose(w.grad ?? Tensor.placeholder(), fixture.tensor("cube_grad_w"), tolerance: 1e-13)
    }

    @Test("the hand-written backward of x³·w and of sin(x²) pass central finite differences")
    func finiteDifferences() {
        let (x, w, _) = fixtureInputs()
        let cubeCheck = gradientCheck({ [cubeTimes($0[0], $0[1])] }, inputs: [x, w])
        #expect(cubeCheck.passed)
        // eps = 1e-6 in float64: truncation O(eps²·|f‴|) ≈ 1e-11 for |x|,|w| < 3, rounding
        // O(2.2e-16·|f|/eps) ≈ 1e-9 for |vᵀf| < 10; 1e-7 leaves margin above both.
        #expect(cubeCheck.maxErrors.allSatisfy { $0 < 1e-7 }, "\(cubeCheck.maxErrors)")
        let sinCheck = gradientCheck({ [sinOfSquare($0[0])] }, inputs: [x])
        #expect(sinCheck.passed)
        #expect(sinCheck.maxErrors[0] < 1e-7, "\(sinCheck.maxErrors)")
    }

    @Test("gradientCheck rejects a wrong backward (dy/dx with 2x² instead of 3x²)")
    func gradientCheckCatchesWrongBackward() {
        let (x, w, _) = fixtureInputs()
        let check = gradientCheck({ [cubeTimes($0[0], $0[1], derivativeFactor: 2)] }, inputs: [x, w])
        #expect(!check.passed)
        #expect(check.maxErrors[0] > 1e-3)
        #expect(check.maxErrors[1] < 1e-7, "the w gradient is still right: \(check.maxErrors)")
    }

    @Test("gradientCheck confirms libtorch's own backward of tanh and mm")
    func gradientCheckOnBuiltins() {
        let generator = Generator(seed: 3)
        let a = Tensor.randn([3, 4], dtype: .float64, generator: generator).requiringGrad()
        let b = Tensor.randn([4, 2], dtype: .float64, generator: generator).requiringGrad()
        let tanhCheck = gradientCheck({ [$0[0].tanh()] }, inputs: [a])
        #expect(tanhCheck.passed, "\(tanhCheck.maxErrors)")
        let mmCheck = gradientCheck({ [$0[0].mm($0[1])] }, inputs: [a, b])
        #expect(mmCheck.passed, "\(mmCheck.maxErrors)")
        // mm is bilinear, so central differences are exact up to rounding (|vᵀf| < 20).
        #expect(mmCheck.maxErrors.allSatisfy { $0 < 1e-8 }, "\(mmCheck.maxErrors)")
    }

    @Test("inputs that need no gradient are reported to backward and may get nil")
    func needsInputGrad() {
        let (x, _, v) = fixtureInputs()
        let constant = fixture.tensor("cube_w")
        var seen: [Bool] = []
        let y = CustomFunction.apply(inputs: [x, constant]) { inputs, _ in
            [inputs[0] * inputs[1]]
        } backward: { gradOutputs, context in
            seen = context.needsInputGrad
            return [gradOutputs[0], nil]
        }[0]
        weightedSum(y, v).backward()
        #expect(seen == [true, false])
        #expect((x.grad ?? Tensor.placeholder()).equal(v))
        #expect(constant.grad == nil)
    }

    @Test("a backward that uses its saved output passes finite differences")
    func savedOutput() {
        let (x, _, _) = fixtureInputs()
        let check = gradientCheck({ [customExp($0[0])] }, inputs: [x])
        #expect(check.passed)
        #expect(check.maxErrors[0] < 1e-7, "same error budget as above, |eˣ| < 20: \(check.maxErrors)")
    }

    @Test("the node and its closures are released with the graph, even with a saved output (no cycle)")
    func contextReleased() {
        var released = 0
        do {
            let (x, _, v) = fixtureInputs()
            let y = customExp(x) { released += 1 }
            weightedSum(y, v).backward()
            #expect(released == 0, "alive while an output holds the node")
        }
        #expect(released == 1)
        do {
            let (x, _, _) = fixtureInputs()
            _ = customExp(x) { released += 1 }
        }
        #expect(released == 2, "a graph dropped without backward frees the node too")
    }

    @Test("saved tensors stay differentiable: the second derivative of x³·w is 6x·w")
    func doubleBackward() {
        let (x, _, v) = fixtureInputs()
        let w = fixture.tensor("cube_w")
        let first = gradients(of: [weightedSum(cubeTimes(x, w), v)], with: [x], createGraph: true)[0]
        guard let first else {
            Issue.record("no first derivative")
            return
        }
        first.sum().backward()
        let expected = x * w * 6.0 * v
        // float64, values below 100, a few roundings apart: 1e-12.
        expectClose(x.grad ?? Tensor.placeholder(), expected, tolerance: 1e-12)
    }

    @Test("a second backward through a freed graph is a TorchError, not a crash")
    func secondBackward() {
        let (x, w, _) = fixtureInputs()
        let loss = cubeTimes(x, w).sum()
        loss.backward()
        let error = #expect(throws: TorchError.self) { try withTorchErrors { loss.backward() } }
        #expect(error?.message.contains("second time") == true, "\(error?.message ?? "")")
    }

    @Test("2000 graphs of custom functions, half of them run backward, leave no tensors behind")
    func liveTensorCountReturnsToBaseline() {
        let (x, w, v) = fixtureInputs()
        let baseline = Tensor.liveTensorCount
        for round in 0..<2000 {
            let loss = weightedSum(sinOfSquare(cubeTimes(x, w)), v)
            if round.isMultiple(of: 2) { loss.backward() }
        }
        x.grad = nil
        w.grad = nil
        #expect(Tensor.liveTensorCount - baseline < concurrentTensorSlack,
                "\(Tensor.liveTensorCount - baseline) tensors more after 2000 graphs")
    }

    @Test("a Swift error thrown in backward surfaces as a TorchError from backward()")
    func backwardThrows() {
        struct Refused: Error, CustomStringConvertible { var description: String { "backward refused" } }
        let (x, _, _) = fixtureInputs()
        let y = CustomFunction.apply(inputs: [x]) { inputs, _ in [inputs[0] * inputs[0]] } backward: { _, _ in throw Refused() }[0]
        let error = #expect(throws: TorchError.self) {
            try withTorchErrors { y.sum().backward() }
        }
        #expect(error?.message.contains("backward refused") == true, "\(error?.message ?? "")")
        #expect(x.grad == nil)
    }

    @Test("a backward returning the wrong number of gradients is a TorchError, not a crash")
    func wrongGradientCount() {
        let (x, w, _) = fixtureInputs()
        let y = CustomFunction.apply(inputs: [x, w]) { inputs, _ in [inputs[0] * inputs[1]] } backward: { gradOutputs, _ in [gradOutputs[0]] }[0]
        let error = #expect(throws: TorchError.self) {
            try withTorchErrors { y.sum().backward() }
        }
        #expect(error?.message.contains("returned 1 gradients for 2 inputs") == true, "\(error?.message ?? "")")
    }

    @Test("a gradient of the wrong shape is reported with libtorch's message")
    func wrongGradientShape() {
        let (x, _, _) = fixtureInputs()
        let y = CustomFunction.apply(inputs: [x]) { inputs, _ in [inputs[0] * 2.0] } backward: { _, _ in
            [Tensor([1, 2] as [Double])]
        }[0]
        let error = #expect(throws: TorchError.self) {
            try withTorchErrors { y.sum().backward() }
        }
        #expect(error?.message.contains("invalid gradient") == true, "\(error?.message ?? "")")
    }

    @Test("a failing forward fails the application inside withTorchErrors")
    func forwardFails() {
        let (x, _, _) = fixtureInputs()
        let error = #expect(throws: TorchError.self) {
            try withTorchErrors {
                CustomFunction.apply(inputs: [x]) { inputs, _ in [inputs[0].mm(inputs[0])] } backward: { gradOutputs, _ in gradOutputs }
            }
        }
        #expect(error?.message.contains("cannot be multiplied") == true, "\(error?.message ?? "")")
    }
}
