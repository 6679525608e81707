import Testing
@testable import TorchNN
import TorchTestSupport

@Suite("Initializers match PyTorch")
struct InitializerTests {
    /// Each layer built with `Generator(seed: 7)` against PyTorch's `torch.manual_seed(7)` then the
    /// constructor: the same generator stream, bounds and draws, so the values are identical.
    @Test("default initialisation equals PyTorch's for the same seed, bit for bit")
    func defaultInitialisation() throws {
        let fixture = try Fixture("module_init")
        let layers: [(String, () -> Module)] = [
            ("linear", { Linear(4, 3, generator: Generator(seed: 7)) }),
            ("linear_nobias", { Linear(5, 2, bias: false, generator: Generator(seed: 7)) }),
            ("conv1d", { Conv1d(2, 3, kernelSize: [3], generator: Generator(seed: 7)) }),
            ("conv2d", { Conv2d(2, 4, kernelSize: [3], groups: 2, generator: Generator(seed: 7)) }),
            ("conv3d", { Conv3d(1, 2, kernelSize: [2], generator: Generator(seed: 7)) }),
            ("conv_transpose2d", { ConvTranspose2d(2, 3, kernelSize: [3], stride: [2], generator: Generator(seed: 7)) }),
            ("conv_transpose3d", { ConvTranspose3d(2, 2, kernelSize: [2], generator: Generator(seed: 7)) }),
            ("batch_norm2d", { BatchNorm2d(3) }),
            ("group_norm", { GroupNorm(2, 4) }),
            ("layer_norm", { LayerNorm([3, 2]) }),
            ("prelu", { PReLU(numParameters: 3) }),
        ]
        for (name, make) in layers {
            for (key, tensor) in make().stateDict() {
                expectClose(tensor, fixture.tensor("\(name).\(key)"), tolerance: 0, "\(name).\(key)")
            }
        }
    }

    /// The same generator state and formula as torch.nn.init give the same float32 values; QR
    /// (orthogonal) runs the same LAPACK routine, so it too is exact up to one ulp.
    @Test("torch.nn.init functions draw the same values from a generator with the same seed")
    func initFunctions() throws {
        let fixture = try Fixture("module_init")
        func seeded(_ shape: [Int] = [5, 4], _ body: (Tensor, Generator) -> Void) -> Tensor {
            let tensor = Tensor.empty(shape)
            body(tensor, Generator(seed: 11))
            return tensor
        }
        let cases: [(String, Tensor, Double)] = [
            ("kaiming_uniform", seeded { Init.kaimingUniform_($0, generator: $1) }, 0),
            ("kaiming_uniform_fan_out_relu",
             seeded([3, 2, 3, 3]) { Init.kaimingUniform_($0, mode: .fanOut, nonlinearity: .relu, generator: $1) }, 0),
            ("kaiming_normal", seeded { Init.kaimingNormal_($0, a: 0.2, generator: $1) }, 0),
            ("xavier_uniform", seeded([4, 3, 2]) { Init.xavierUniform_($0, gain: 2, generator: $1) }, 0),
            ("xavier_normal", seeded { Init.xavierNormal_($0, generator: $1) }, 0),
            ("orthogonal_tall", seeded([6, 3]) { Init.orthogonal_($0, gain: 1.5, generator: $1) }, 1e-7),
            ("orthogonal_wide", seeded([3, 2, 4]) { Init.orthogonal_($0, generator: $1) }, 1e-7),
            ("uniform", seeded { Init.uniform_($0, a: -2, b: 3, generator: $1) }, 0),
            ("normal", seeded { Init.normal_($0, mean: 1, std: 0.5, generator: $1) }, 0),
        ]
        for (name, actual, tolerance) in cases {
            expectClose(actual, fixture.tensor(name), tolerance: tolerance, "\(name)")
        }
    }

    @Test("constant, zeros and ones fill the whole tensor")
    func constants() {
        let tensor = Tensor.empty([2, 3])
        expectClose(Init.constant_(tensor, 2.5), Tensor.full([2, 3], 2.5), tolerance: 0)
        expectClose(Init.zeros_(tensor), Tensor.zeros([2, 3]), tolerance: 0)
        expectClose(Init.ones_(tensor), Tensor.ones([2, 3]), tolerance: 0)
    }

    @Test("gains equal calculate_gain's")
    func gains() throws {
        let fixture = try Fixture("module_init")
        let cases: [(String, Double)] = [
            ("tanh", Init.calculateGain(.tanh)), ("relu", Init.calculateGain(.relu)),
            ("leaky_relu", Init.calculateGain(.leakyRelu)), ("leaky_relu_0.2", Init.calculateGain(.leakyRelu, param: 0.2)),
            ("selu", Init.calculateGain(.selu)), ("sigmoid", Init.calculateGain(.sigmoid)),
        ]
        for (name, gain) in cases {
            #expect(gain == fixture.scalar("gain.\(name)"), "gain \(name)")
        }
    }

    @Test("initializers do not record gradients on parameters")
    func initOnParameters() {
        let linear = Linear(3, 2, generator: Generator(seed: 1))
        Init.xavierUniform_(linear.weight, generator: Generator(seed: 2))
        #expect(linear.weight.isLeaf && linear.weight.requiresGrad)
    }
}
