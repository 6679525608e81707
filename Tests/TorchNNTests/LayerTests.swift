import Testing
@testable import TorchNN
import TorchTestSupport

/// Each case of `LAYERS` in make_module_fixtures.py, built with the same hyper-parameters; the
/// flag says whether the case runs in training mode.
private func makeLayer(_ name: String) -> (layer: any UnaryLayer, training: Bool) {
    let g = Generator(seed: 0)  // overwritten by the fixture's state dict
    switch name {
    case "linear": return (Linear(4, 3, generator: g), true)
    case "conv1d": return (Conv1d(2, 3, kernelSize: [3], stride: [2], padding: [1], generator: g), true)
    case "conv2d":
        return (Conv2d(2, 4, kernelSize: [3, 2], stride: [1, 2], padding: [1], dilation: [2, 1], groups: 2,
                       generator: g), true)
    case "conv3d": return (Conv3d(2, 2, kernelSize: [2], padding: [1], bias: false, generator: g), true)
    case "conv_transpose2d":
        return (ConvTranspose2d(2, 3, kernelSize: [3], stride: [2], padding: [1], outputPadding: [1], generator: g),
                true)
    case "conv_transpose3d": return (ConvTranspose3d(2, 2, kernelSize: [2], stride: [2], generator: g), true)
    case "batch_norm1d_train": return (BatchNorm1d(3), true)
    case "batch_norm2d_train": return (BatchNorm2d(3), true)
    case "batch_norm2d_eval": return (BatchNorm2d(3), false)
    case "batch_norm2d_cumulative": return (BatchNorm2d(3, momentum: nil), true)
    case "batch_norm3d_train": return (BatchNorm3d(2, eps: 1e-3, momentum: 0.3, affine: false), true)
    case "batch_norm2d_untracked_eval": return (BatchNorm2d(3, trackRunningStats: false), false)
    case "instance_norm2d": return (InstanceNorm2d(3), true)
    case "instance_norm2d_affine_tracked": return (InstanceNorm2d(3, affine: true, trackRunningStats: true), true)
    case "instance_norm3d_tracked_eval": return (InstanceNorm3d(2, trackRunningStats: true), false)
    case "group_norm": return (GroupNorm(2, 4), true)
    case "layer_norm": return (LayerNorm([3, 4]), true)
    case "relu": return (ReLU(), true)
    case "leaky_relu": return (LeakyReLU(negativeSlope: 0.2), true)
    case "prelu_shared": return (PReLU(), true)
    case "prelu_channels": return (PReLU(numParameters: 3), true)
    case "elu": return (ELU(alpha: 0.7), true)
    case "gelu": return (GELU(), true)
    case "gelu_tanh": return (GELU(approximate: .tanh), true)
    case "silu": return (SiLU(), true)
    case "sigmoid": return (Sigmoid(), true)
    case "tanh": return (Tanh(), true)
    case "softmax": return (Softmax(dim: 1), true)
    case "max_pool2d": return (MaxPool2d(kernelSize: [3], stride: [2], padding: [1]), true)
    case "max_pool3d": return (MaxPool3d(kernelSize: [2], ceilMode: true), true)
    case "avg_pool2d": return (AvgPool2d(kernelSize: [2], padding: [1], countIncludePad: false), true)
    case "avg_pool3d": return (AvgPool3d(kernelSize: [2, 1, 2], stride: [1]), true)
    case "adaptive_avg_pool2d": return (AdaptiveAvgPool2d(outputSize: [2, 3]), true)
    case "adaptive_avg_pool3d": return (AdaptiveAvgPool3d(outputSize: [2]), true)
    case "upsample_nearest": return (Upsample(scaleFactor: [2]), true)
    case "upsample_bilinear": return (Upsample(size: [5, 7], mode: .bilinear, alignCorners: true), true)
    case "upsample_trilinear": return (Upsample(scaleFactor: [2, 1, 2], mode: .trilinear), true)
    case "identity": return (Identity(), true)
    case "flatten": return (Flatten(), true)
    default: fatalError("no layer case \(name)")
    }
}

private let layerCases = [
    "linear", "conv1d", "conv2d", "conv3d", "conv_transpose2d", "conv_transpose3d", "batch_norm1d_train",
    "batch_norm2d_train", "batch_norm2d_eval", "batch_norm2d_cumulative", "batch_norm3d_train",
    "batch_norm2d_untracked_eval", "instance_norm2d", "instance_norm2d_affine_tracked",
    "instance_norm3d_tracked_eval", "group_norm", "layer_norm", "relu", "leaky_relu", "prelu_shared",
    "prelu_channels", "elu", "gelu", "gelu_tanh", "silu", "sigmoid", "tanh", "softmax", "max_pool2d", "max_pool3d",
    "avg_pool2d", "avg_pool3d", "adaptive_avg_pool2d", "adaptive_avg_pool3d", "upsample_nearest",
    "upsample_bilinear", "upsample_trilinear", "identity", "flatten",
]

@Suite("Layers match PyTorch")
struct LayerTests {
    /// Float32 on both sides with the same libtorch kernels; results can differ only by the
    /// summation order of reductions (thread count), a few float32 ulps of values of order 1-10.
    static let tolerance = 1e-5

    @Test("output, input gradient, parameter gradients and updated buffers equal PyTorch's", arguments: layerCases)
    func layerMatchesPyTorch(name: String) throws {
        let fixture = try Fixture("module_layers")
        let (layer, training) = makeLayer(name)
        let keys = layer.stateDictKeys
        #expect(keys.count == Int(fixture.scalar("\(name).state_count")), "state-dict size of \(name)")
        try layer.loadStateDict(StateDict(keys.map { ($0, fixture.tensor("\(name).state.\($0)")) }))
        layer.train(training)
        expectFixtureCase(fixture, name, inputs: ["x"], tolerance: Self.tolerance) { layer($0["x"]!) }
        for (key, parameter) in layer.namedParameters() {
            guard let gradient = parameter.grad else {
                Issue.record("\(name): no gradient for \(key)")
                continue
            }
            expectClose(gradient, fixture.tensor("\(name).grad.state.\(key)"), tolerance: Self.tolerance,
                        "\(name) gradient of \(key)")
        }
        for (key, buffer) in layer.namedBuffers() {
            expectClose(buffer, fixture.tensor("\(name).after.\(key)"), tolerance: Self.tolerance,
                        "\(name) buffer \(key) after forward")
        }
    }

    @Test("in-place activations overwrite their input and return it")
    func inPlaceActivations() {
        let cases: [(layer: any UnaryLayer, reference: (Tensor) -> Tensor)] = [
            (ReLU(inPlace: true), { Functional.relu($0) }),
            (LeakyReLU(inPlace: true), { Functional.leakyRelu($0) }),
            (ELU(inPlace: true), { Functional.elu($0) }),
        ]
        for (layer, reference) in cases {
            let input = Tensor([-2, -0.5, 0.5, 2] as [Float], shape: [4])
            let expected = reference(input)
            let output = layer(input)
            #expect(output === input)
            expectClose(input, expected, tolerance: 0)
        }
    }

    @Test("parameters and buffers have PyTorch's default values and names")
    func defaultStates() {
        let norm = BatchNorm2d(3)
        #expect(norm.namedParameters().map(\.name) == ["weight", "bias"])
        #expect(norm.namedBuffers().map(\.name) == ["running_mean", "running_var", "num_batches_tracked"])
        #expect(norm.numBatchesTracked?.dtype == .int64)
        expectClose(norm.weight!, Tensor.ones([3]), tolerance: 0)
        expectClose(norm.runningVar!, Tensor.ones([3]), tolerance: 0)
        let instance = InstanceNorm2d(3)
        #expect(instance.stateDictKeys.isEmpty, "InstanceNorm defaults: affine and trackRunningStats false")
        #expect(LayerNorm([4], bias: false).stateDictKeys == ["weight"])
        #expect(GroupNorm(2, 4, affine: false).stateDictKeys.isEmpty)
        #expect(Linear(2, 2, bias: false, generator: Generator(seed: 1)).stateDictKeys == ["weight"])
        expectClose(PReLU(numParameters: 2).weight, Tensor.full([2], 0.25), tolerance: 0)
    }
}
