import Testing

@testable import Torch
import TorchTestSupport

extension ProcessWideTests {
    // Several tests draw from the process-wide generator, which parallel tests would advance
    // between a seed and its draws: hence nested in the serialized process-wide suite.
    @Suite("Creation and random")
    struct CreationTests {
        let fixture: Fixture

        init() throws { fixture = try Fixture("math") }

        @Test("constant fills have the requested shape, dtype and values")
        func constants() {
            let zeros = Tensor.zeros([2, 3])
            #expect(zeros.shape == [2, 3])
            #expect(zeros.dtype == .float32)
            #expect(zeros.toArray(of: Float.self) == [Float](repeating: 0, count: 6))
            #expect(Tensor.ones([4], dtype: .int32).toArray(of: Int32.self) == [1, 1, 1, 1])
            #expect(Tensor.empty([3, 0, 2], dtype: .float64).shape == [3, 0, 2])
            let like = Tensor.zeros(like: Tensor.ones([2, 2], dtype: .float64))
            #expect(like.dtype == .float64 && like.shape == [2, 2])
            #expect(Tensor.ones(like: like, dtype: .int64).toArray(of: Int.self) == [1, 1, 1, 1])
            #expect(Tensor.full(like: like, -1.5).toArray(of: Double.self) == [-1.5, -1.5, -1.5, -1.5])
        }

        @Test("full infers int64 from an integer and float32 from a double, like PyTorch")
        func fullDtypes() {
            let integer = Tensor.full([2, 2], 7)
            #expect(integer.dtype == .int64)
            expectClose(integer, fixture.tensor("full_int"), tolerance: 0)
            let floating = Tensor.full([2], 2.5)
            #expect(floating.dtype == .float32)
            expectClose(floating, fixture.tensor("full_double"), tolerance: 0)
        }

        @Test("arange, linspace and eye match PyTorch")
        func ranges() {
            let integers = Tensor.arange(2, 11, step: 3)
            #expect(integers.dtype == .int64)
            expectClose(integers, fixture.tensor("arange_int"), tolerance: 0)
            expectClose(Tensor.arange(4), fixture.tensor("arange_end"), tolerance: 0)
            #expect(Tensor.arange(3, dtype: .float64).dtype == .float64)
            let reals = Tensor.arange(0.0, 1.0, step: 0.15)
            #expect(reals.dtype == .float32)
            // Same kernel and the same float32 arithmetic as PyTorch: exact.
            expectClose(reals, fixture.tensor("arange_double"), tolerance: 0)
            expectClose(Tensor.linspace(-1, 2, steps: 7), fixture.tensor("linspace"), tolerance: 0)
            expectClose(Tensor.eye(3, 4), fixture.tensor("eye_3x4"), tolerance: 0)
            #expect(Tensor.eye(2).toArray(of: Float.self) == [1, 0, 0, 1])
        }

        @Test("manualSeed reproduces PyTorch's global random streams bit for bit")
        func globalStreamsMatchPyTorch() {
            manualSeed(0)
            expectClose(Tensor.randn([5]), fixture.tensor("randn_seed0"), tolerance: 0)
            manualSeed(0)
            expectClose(Tensor.rand([2, 3]), fixture.tensor("rand_seed0"), tolerance: 0)
            manualSeed(0)
            let integers = Tensor.randint(low: -3, high: 10, shape: [6])
            #expect(integers.dtype == .int64)
            expectClose(integers, fixture.tensor("randint_seed0"), tolerance: 0)
            manualSeed(0)
            expectClose(Tensor.randperm(8), fixture.tensor("randperm_seed0"), tolerance: 0)
        }

        @Test("a seeded Generator reproduces torch.Generator().manual_seed bit for bit")
        func generatorMatchesPyTorch() {
            let generator = Generator(seed: 42)
            expectClose(Tensor.randn([4, 2], generator: generator), fixture.tensor("randn_gen42"), tolerance: 0)
            let next = Tensor.rand([3], dtype: .float64, generator: generator)
            #expect(next.dtype == .float64)
            expectClose(next, fixture.tensor("rand_gen42_next"), tolerance: 0)
        }

        @Test("the same seed gives identical draws; a generator leaves the global stream alone")
        func seedsReproduce() {
            func draws(_ generator: Generator) -> [Tensor] {
                let filled = Tensor.zeros([5])
                return [
                    Tensor.randn([3], generator: generator), Tensor.rand([3], generator: generator),
                    Tensor.randint(high: 100, shape: [3], generator: generator),
                    Tensor.randperm(5, generator: generator), Tensor.zeros([4]).bernoulli(p: 0.5, generator: generator),
                    filled.clone().uniform_(from: -2, to: 3, generator: generator),
                    filled.clone().normal_(mean: 1, std: 2, generator: generator),
                ]
            }
            manualSeed(3)
            let untouched = Tensor.rand([4])
            manualSeed(3)
            let first = draws(Generator(seed: 7))
            let second = draws(Generator(seed: 7))
            for (x, y) in zip(first, second) { #expect(x.toBytes() == y.toBytes()) }
            #expect(Tensor.rand([4]).toBytes() == untouched.toBytes())
            manualSeed(11)
            let a = Tensor.randn([6])
            manualSeed(11)
            #expect(a.toBytes() == Tensor.randn([6]).toBytes())
            let uniform = Tensor.zeros([1000]).uniform_(from: -2, to: 3, generator: Generator(seed: 1))
            #expect(uniform.min().item(Float.self) >= -2 && uniform.max().item(Float.self) < 3)
            let coin = Tensor.full([1000], 0.25).bernoulli(generator: Generator(seed: 1))
            #expect(Set(coin.toArray(of: Float.self)) == [0, 1])
        }
    }
}
