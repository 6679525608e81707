import Testing

@testable import Torch
import TorchTestSupport

extension ProcessWideTests {
    /// Creating, using and dropping tensors returns every byte: ARC frees each handle.
    @Suite("No leaks")
    struct LeakTests {
        /// How much the resident size may grow over a measured loop. A leak of even one 8×8
        /// float tensor per iteration costs at least 256 B of data + libtorch's TensorImpl and
        /// StorageImpl (a few hundred bytes) + the Swift object: ≥ 500 B × 100k = 50 MB, five
        /// times this bound. What remains is allocator noise and other suites running
        /// concurrently, which hold a few MB at most.
        static let residentGrowthBound = 10 << 20

        /// Runs `body` `warmUp` times (so caches, arenas and lazily loaded kernels settle), then
        /// `iterations` times, and returns the growth of resident bytes and live tensors over
        /// the second run.
        private func growth(warmUp: Int, iterations: Int, _ body: (Int) -> Void) -> (bytes: Int, tensors: Int) {
            for index in 0..<warmUp { body(index) }
            let bytes = residentBytes()
            let tensors = Tensor.liveTensorCount
            for index in 0..<iterations { body(index) }
            return (residentBytes() - bytes, Tensor.liveTensorCount - tensors)
        }

        @Test("100k tensors created, used in ops and dropped leave resident memory and the tensor count flat")
        func manyTensors() {
            let values = (0..<64).map { Float($0) / 64 }
            let result = growth(warmUp: 10_000, iterations: 100_000) { index in
                let a = Tensor(values, shape: [8, 8])
                let b = a * Double(index % 7)
                _ = (a + b).tanh()
            }
            print("100k tensor iterations: resident growth \(result.bytes) B, live tensors \(result.tensors)")
            #expect(result.bytes < Self.residentGrowthBound)
            #expect(result.tensors < concurrentTensorSlack)
        }

        @Test("a training-like loop (forward, checkpoint, custom function, backward, grad cleared) does not leak")
        func trainingLoop() {
            let generator = Generator(seed: 2)
            let x = Tensor.randn([32, 64], generator: generator).requiringGrad()
            let weight = (Tensor.randn([64, 64], generator: generator) * 0.1).requiringGrad()
            let result = growth(warmUp: 200, iterations: 2_000) { _ in
                let hidden = checkpoint(x) { $0.mm(weight).tanh() }
                let squared = CustomFunction.apply(inputs: [hidden]) { inputs, context in
                    context.saveForBackward(inputs)
                    return [inputs[0] * inputs[0]]
                } backward: { gradOutputs, context in
                    let twice = context.savedTensors[0] * 2.0
                    return [twice * gradOutputs[0]]
                }[0]
                squared.sum().backward()
                // The gradient must exist each round, or the loop would not be exercising backward.
                #expect(weight.grad != nil)
                weight.grad = nil
                x.grad = nil
            }
            print("2000 training steps: resident growth \(result.bytes) B, live tensors \(result.tensors)")
            // A leaked graph per step holds at least the 8 KB activation: 16 MB over 2000 steps.
            #expect(result.bytes < Self.residentGrowthBound)
            #expect(result.tensors < concurrentTensorSlack)
        }
    }
}
