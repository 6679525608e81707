import Foundation
import Testing

@testable import Torch
import TorchTestSupport

@Suite("Runtime facts and settings")
struct RuntimeTests {
    @Test("libtorch's version is the pinned one and its library directory holds libtorch_cpu")
    func version() {
        #expect(Runtime.libtorchVersion.hasPrefix("2.11."))
        #expect(FileManager.default.fileExists(atPath: Runtime.libraryDirectory + "/libtorch_cpu.so"))
    }

    @Test("the thread count can be set and read back")
    func threadCount() {
        let saved = Runtime.threadCount
        #expect(saved >= 1)
        Runtime.threadCount = 1
        #expect(Runtime.threadCount == 1)
        Runtime.threadCount = saved
        #expect(Runtime.threadCount == saved)
    }

    @Test("the shim's kernels run on libtorch's threads, one chunk each (serial with one thread or one grain)")
    func shimKernelsRunInParallel() {
        let saved = Runtime.threadCount
        defer { Runtime.threadCount = saved }
        Runtime.threadCount = 2
        #expect(Runtime.shimParallelChunks(iterations: 1000, grain: 1) == 2)
        #expect(Runtime.shimParallelChunks(iterations: 1000, grain: 1000) == 1)
        #expect(Runtime.shimParallelChunks(iterations: 0, grain: 1) == 0)
        Runtime.threadCount = 1
        #expect(Runtime.shimParallelChunks(iterations: 1000, grain: 1) == 1)
    }

    @Test("deterministic algorithms can be switched on and off")
    func deterministic() {
        let saved = Runtime.deterministicAlgorithms
        Runtime.deterministicAlgorithms = !saved
        #expect(Runtime.deterministicAlgorithms == !saved)
        Runtime.deterministicAlgorithms = saved
        #expect(Runtime.deterministicAlgorithms == saved)
    }

    @Test("device facts agree with each other (CPU-only here: no CUDA device, the CPU preferred)")
    func devices() {
        let available = Runtime.isCUDAAvailable
        #expect(available == (Runtime.cudaDeviceCount > 0))
        #expect(Runtime.preferredDevice == (available ? .cuda(0) : .cpu))
        #expect((Runtime.memoryStats() != nil) == available)
    }
}

extension ProcessWideTests {
    @Suite("Random generators")
    struct GeneratorTests {
        private func randn(_ shape: [Int], _ generator: Generator) -> Tensor {
            Tensor.randn(shape, generator: generator)
        }

        @Test("the same seed gives bit-identical tensors, equal to PyTorch's")
        func sameSeed() throws {
            let a = randn([3, 4], Generator(seed: 42))
            let b = randn([3, 4], Generator(seed: 42))
            #expect(a.equal(b))
            // Same Philox/MT algorithm as PyTorch's CPU generator: bit-identical, not just close.
            #expect(a.equal(try Fixture("autograd").tensor("randn_generator_seed42")))
            #expect(Generator(seed: 42).seed == 42)
            #expect(!a.equal(randn([3, 4], Generator(seed: 43))))
        }

        @Test("restoring a saved state replays the stream")
        func stateRestore() {
            let generator = Generator(seed: 9)
            _ = randn([10], generator)
            let state = generator.state
            let first = randn([6], generator)
            let second = randn([6], generator)
            #expect(!first.equal(second))
            generator.state = state
            #expect(randn([6], generator).equal(first))
        }

        @Test("manualSeed reproduces the global stream, equal to PyTorch's after torch.manual_seed")
        func manualSeedReproduces() throws {
            manualSeed(7)
            let first = Tensor.randn([5])
            #expect(Generator.cpuDefault.seed == 7)
            manualSeed(7)
            #expect(Tensor.randn([5]).equal(first))
            #expect(first.equal(try Fixture("autograd").tensor("randn_manual_seed7")))
        }
    }
}
