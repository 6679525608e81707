import Testing

@testable import Torch
import TorchTestSupport

/// `tanh(h @ W)` for each weight in turn.
private func tanhChain(_ h: Tensor, _ weights: [Tensor]) -> Tensor {
    weights.reduce(h) { activation, weight in activation.mm(weight).tanh() }
}

/// `dropout(tanh(h @ W), p = 0.5)` in training mode: random inside the segment.
private func dropoutLayer(_ h: Tensor, _ weight: Tensor) -> Tensor {
    Functional.dropout(h.mm(weight).tanh(), p: 0.5, training: true)
}

extension ProcessWideTests {
    @Suite("Gradient checkpointing")
    struct CheckpointTests {
        @Test("gradients through a checkpoint equal PyTorch's checkpoint and the plain graph, inputs and parameters")
        func gradientsMatch() throws {
            let fixture = try Fixture("autograd")
            let g = fixture.tensor("chain_g")
            func run(checkpointed: Bool) -> (y: Tensor, grads: [Tensor]) {
                let h = fixture.tensor("chain_h").requiringGrad()
                let weights = (0..<3).map { fixture.tensor("chain_w\($0)").requiringGrad() }
                let y = checkpointed ? checkpoint(h) { tanhChain($0, weights) } : tanhChain(h, weights)
                weightedSum(y, g).backward()
                return (y, ([h] + weights).map { $0.grad ?? Tensor.placeholder() })
            }
            let plain = run(checkpointed: false)
            let checkpointed = run(checkpointed: true)
            let names = ["chain_grad_h", "chain_grad_w0", "chain_grad_w1", "chain_grad_w2"]
            // float64 mm/tanh on values below 5: libtorch's kernels are the same as PyTorch's here,
            // the remaining freedom (summation order in mm) costs a few ulps.
            expectClose(checkpointed.y, fixture.tensor("chain_y"), tolerance: 1e-13)
            for (gradient, name) in zip(checkpointed.grads, names) {
                expectClose(gradient, fixture.tensor(name), tolerance: 1e-13, "\(name)")
            }
            // The recomputation runs the same kernels on the same values: bit-identical.
            #expect(checkpointed.y.equal(plain.y))
            for (a, b) in zip(checkpointed.grads, plain.grads) { #expect(a.equal(b)) }
            #expect(checkpointed.y.gradFunctionName?.contains("SwiftFunction") == true)
        }

        @Test("several inputs and outputs: each input gets its gradient, an unused output contributes none")
        func multipleInputsAndOutputs() throws {
            let fixture = try Fixture("autograd")
            let (x, w, v) = (fixture.tensor("cube_x"), fixture.tensor("cube_w"), fixture.tensor("cube_v"))
            func run(checkpointed: Bool) -> [Tensor] {
                let a = x.detach().requiringGrad()
                let b = w.detach().requiringGrad()
                let body: ([Tensor]) -> [Tensor] = { inputs in
                    [inputs[0] * inputs[1], inputs[0].tanh()]
                }
                let outputs = checkpointed ? checkpoint(inputs: [a, b], body) : body([a, b])
                weightedSum(outputs[0], v).backward()
                return [a.grad ?? Tensor.placeholder(), b.grad ?? Tensor.placeholder()]
            }
            let plain = run(checkpointed: false)
            let checkpointed = run(checkpointed: true)
            #expect(checkpointed[0].equal(plain[0]))
            #expect(checkpointed[1].equal(plain[1]))
            #expect(checkpointed[0].equal(w * v), "d/dx sum(x·w·v) = w·v")
        }
    }
}

extension ProcessWideTests {
    /// Checkpoint tests that reseed the global generator or read the resident size.
    @Suite("Gradient checkpointing: random state and memory")
    struct CheckpointProcessTests {
        @Test("dropout inside a checkpoint draws the same mask when recomputed, and the stream continues unchanged")
        func randomStatePreserved() {
            let generator = Generator(seed: 5)
            let x = Tensor.randn([32, 16], generator: generator)
            let weight = Tensor.randn([16, 16], generator: generator)
            func run(checkpointed: Bool, preserving: Bool = true) -> (grads: [Tensor], next: Tensor) {
                let h = x.detach().requiringGrad()
                let w = weight.detach().requiringGrad()
                manualSeed(11)
                let y = checkpointed
                    ? checkpoint(h, preservingRandomState: preserving) { dropoutLayer($0, w) } : dropoutLayer(h, w)
                y.sum().backward()
                return ([h.grad ?? Tensor.placeholder(), w.grad ?? Tensor.placeholder()], Tensor.randn([8]))
            }
            let plain = run(checkpointed: false)
            let checkpointed = run(checkpointed: true)
            #expect(checkpointed.grads[0].equal(plain.grads[0]))
            #expect(checkpointed.grads[1].equal(plain.grads[1]))
            #expect(checkpointed.next.equal(plain.next), "the recomputation must not advance the global stream")
            // Without restoring, the recomputation draws a fresh mask: the gradients differ, which
            // shows the comparison above depends on the mask.
            let unpreserved = run(checkpointed: true, preserving: false)
            #expect(!unpreserved.grads[0].equal(plain.grads[0]))
        }

        @Test("a checkpointed chain holds far less memory between forward and backward")
        func peakMemorySaving() {
            let layers = 8
            // 40 MiB activations: above glibc's largest mmap threshold (32 MiB on 64-bit), so each
            // is its own mapping, resident once written and unmapped when freed. The change in
            // resident size then counts exactly the activations alive, and concurrent tests'
            // allocations (well under a MiB at a time) cannot blur it.
            let shape = [1280, 8192]
            let activationBytes = shape.reduce(1, *) * MemoryLayout<Float>.size
            let generator = Generator(seed: 1)
            let x = Tensor.randn(shape, generator: generator)
            let scales = (0..<layers).map { _ in
                Tensor.randn([shape[1]], generator: generator).requiringGrad()
            }
            /// tanh(h · s) per layer, the scale s a captured parameter broadcast over rows.
            func chain(_ h: Tensor) -> Tensor {
                scales.reduce(h) { activation, scale in (activation * scale).tanh() }
            }
            func heldBetweenForwardAndBackward(checkpointed: Bool) -> (bytes: Int, grads: [Tensor]) {
                let h = x.detach().requiringGrad()
                let before = residentBytes()
                let y = checkpointed ? checkpoint(h, chain) : chain(h)
                let held = residentBytes() - before
                y.sum().backward()
                let grads = ([h] + scales).map { $0.grad ?? Tensor.placeholder() }
                for scale in scales { scale.grad = nil }
                return (held, grads)
            }
            let plain = heldBetweenForwardAndBackward(checkpointed: false)
            let checkpointed = heldBetweenForwardAndBackward(checkpointed: true)
            let mebibyte = Double(1 << 20)
            print("resident growth between forward and backward, \(layers) layers of \(activationBytes >> 20) MiB:",
                  "plain \(Double(plain.bytes) / mebibyte) MiB, checkpointed \(Double(checkpointed.bytes) / mebibyte) MiB")
            // Plain: autograd keeps every tanh output (TanhBackward saves its result, MulBackward
            // the activation entering it), so `layers` activations, y included. Checkpointed: y
            // only (the input existed before). One activation of room on each side.
            #expect(plain.bytes >= (layers - 1) * activationBytes)
            #expect(checkpointed.bytes <= 2 * activationBytes)
            for (a, b) in zip(checkpointed.grads, plain.grads) { #expect(a.equal(b)) }
        }
    }
}
