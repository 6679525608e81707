import Testing
@testable import TorchNN
import TorchTestSupport

/// A module with children in a plain array, an optional child, parameters and buffers with and
/// without keys, to check what reflection finds.
private final class Reflected: Module {
    @Parameter var scaleFactor = Tensor.ones([2])
    @Parameter(key: "lambda") var regularization = Tensor.zeros([1])
    @Parameter var missing: Tensor? = nil
    @Buffer var runningTotal = Tensor.zeros([2])
    @Buffer(persistent: false) var scratch = Tensor.zeros([1])
    let layers: [any UnaryLayer] = [Linear(2, 2, generator: Generator(seed: 1)), ReLU(), Linear(2, 1, bias: false, generator: Generator(seed: 2))]
    let optionalHead: Linear? = Linear(1, 1, generator: Generator(seed: 3))
    let absentHead: Linear? = nil
    let plainTensor = Tensor.zeros([3])  // not a parameter: no wrapper
}

@Suite("Module")
struct ModuleTests {
    @Test("snake case turns Swift names into PyTorch keys")
    func snakeCase() {
        let cases = [
            ("runningMean", "running_mean"), ("numBatchesTracked", "num_batches_tracked"), ("dcWeight", "dc_weight"),
            ("convRGBIn", "conv_rgb_in"), ("conv1", "conv1"), ("layer_1", "layer_1"), ("weight", "weight"),
        ]
        for (swift, pytorch) in cases { #expect(snakeCased(swift) == pytorch, "\(swift)") }
    }

    @Test("reflection finds parameters, buffers and children with PyTorch names")
    func reflection() {
        let module = Reflected()
        #expect(module.namedParameters().map(\.name) == [
            "scale_factor", "lambda", "layers.0.weight", "layers.0.bias", "layers.2.weight", "optional_head.weight",
            "optional_head.bias",
        ])
        #expect(module.namedBuffers().map(\.name) == ["running_total", "scratch"])
        #expect(module.stateDictKeys == [
            "scale_factor", "lambda", "running_total", "layers.0.weight", "layers.0.bias", "layers.2.weight",
            "optional_head.weight", "optional_head.bias",
        ], "non-persistent buffers and nil tensors stay out of the state dict")
        #expect(module.namedChildren.map(\.name) == ["layers.0", "layers.1", "layers.2", "optional_head"])
        #expect(module.namedModules().map(\.name) == ["", "layers.0", "layers.1", "layers.2", "optional_head"])
        #expect(module.parameters().allSatisfy { $0.requiresGrad && $0.isLeaf })
        #expect(!module.runningTotal.requiresGrad)
        #expect(module.parameterCount == 2 + 1 + (4 + 2) + 2 + (1 + 1))
    }

    @Test("ModuleDict children are named by key in insertion order")
    func moduleDict() {
        let heads = ModuleDict([("segmentation", Conv2d(4, 3, kernelSize: [1], generator: Generator(seed: 1)))])
        heads["reconstruction"] = Conv2d(4, 1, kernelSize: [1], bias: false, generator: Generator(seed: 2))
        heads["segmentation"] = Conv2d(4, 2, kernelSize: [1], generator: Generator(seed: 3))
        #expect(heads.keys == ["segmentation", "reconstruction"])
        #expect(heads.stateDictKeys == ["segmentation.weight", "segmentation.bias", "reconstruction.weight"])
        #expect(heads.namedParameters()[0].tensor.shape == [2, 4, 1, 1], "assignment replaces in place")
        heads["segmentation"] = nil
        #expect(heads.stateDictKeys == ["reconstruction.weight"])
    }

    @Test("a tensor shared by two layers is one parameter")
    func sharedParameters() {
        let first = Linear(2, 2, generator: Generator(seed: 1))
        let second = Linear(2, 2, generator: Generator(seed: 2))
        second.weight = first.weight
        let model = Sequential(first, second)
        #expect(model.namedParameters().map(\.name) == ["0.weight", "0.bias", "1.bias"])
        #expect(model.stateDictKeys == ["0.weight", "0.bias", "1.weight", "1.bias"])
    }

    @Test("train and eval switch every descendant")
    func trainEval() {
        let net = CompositeNet()
        #expect(net.modules().allSatisfy { $0.isTraining })
        net.eval()
        #expect(net.modules().allSatisfy { !$0.isTraining })
        net.blocks.train()
        #expect(!net.isTraining && net.blocks[1].children.allSatisfy { $0.isTraining } && !net.stem.isTraining)
    }

    @Test("batch norm uses batch statistics in training and running statistics in evaluation")
    func batchNormModes() {
        let norm = BatchNorm2d(2)
        let input = Tensor.randn([4, 2, 3, 3], generator: Generator(seed: 5)) * 3 + 1
        let trainingOutput = withoutGradient { norm(input) }
        expectClose(trainingOutput, Functional.batchNorm(input, runningMean: nil, runningVar: nil, training: true),
                    tolerance: 1e-6)
        #expect(norm.numBatchesTracked?.item(Int64.self) == 1)
        let runningMean = norm.runningMean!.clone()
        norm.eval()
        let evalOutput = withoutGradient { norm(input) }
        expectClose(evalOutput, (input - runningMean.reshape([1, 2, 1, 1])) / (norm.runningVar!.reshape([1, 2, 1, 1]) + 1e-5).sqrt(),
                    tolerance: 1e-6)
        expectClose(norm.runningMean!, runningMean, tolerance: 0, "evaluation leaves the running statistics")
        #expect(norm.numBatchesTracked?.item(Int64.self) == 1)
    }

    @Test("freezing by module and by key prefix sets requiresGrad on exactly those parameters")
    func freezing() {
        let net = CompositeNet()
        net.blocks.freeze()
        let frozen = Set(net.namedParameters().filter { !$0.tensor.requiresGrad }.map(\.name))
        #expect(frozen == Set(net.namedParameters().map(\.name).filter { $0.hasPrefix("blocks.") }))
        net.unfreeze()
        net.freeze(keys: ["stem.", "head.1.weight"])
        let frozenByKey = net.namedParameters().filter { !$0.tensor.requiresGrad }.map(\.name)
        #expect(frozenByKey == ["stem.0.weight", "stem.0.bias", "stem.2.weight", "stem.2.bias", "head.1.weight"])
        #expect(net.trainableParameters().map(\.name) == net.namedParameters().map(\.name).filter { !frozenByKey.contains($0) })
        let frozenCount = net.namedParameters().filter { frozenByKey.contains($0.name) }.reduce(0) { $0 + $1.tensor.count }
        #expect(net.trainableParameterCount == net.parameterCount - frozenCount)
        net.unfreeze(keys: ["stem.2."])
        #expect(net.stem[2].parameters().allSatisfy { $0.requiresGrad } && !net.stem[0].parameters()[0].requiresGrad)
        #expect(net.buffers().allSatisfy { !$0.requiresGrad }, "buffers are never made trainable")
    }

    @Test("to(dtype:) converts floating-point parameters, gradients and buffers in place, keeps integer ones")
    func conversion() {
        let net = CompositeNet()
        let parameters = net.parameters()
        let buffers = net.buffers()
        net(Tensor.randn([2, 1, 5, 5], generator: Generator(seed: 1))).sum().backward()
        let values = net.stateDict().map { $0.tensor.clone() }
        net.blocks.freeze()
        net.to(dtype: .float64)
        #expect(zip(parameters, net.parameters()).allSatisfy { $0 === $1 }, "the parameter objects stay the same")
        #expect(zip(buffers, net.buffers()).allSatisfy { $0 === $1 })
        #expect(parameters.allSatisfy { $0.dtype == .float64 && $0.isLeaf && $0.grad?.dtype == .float64 })
        for (value, (key, converted)) in zip(values, net.stateDict()) {
            expectClose(converted, value, tolerance: 0, "float32 → float64 is exact: \(key)")
        }
        #expect(net.namedBuffers().allSatisfy { $0.tensor.dtype == ($0.name.hasSuffix("num_batches_tracked") ? .int64 : .float64) })
        #expect(net.namedParameters().allSatisfy { $0.tensor.requiresGrad == !$0.name.hasPrefix("blocks.") })
        let output = net(Tensor.randn([2, 1, 5, 5], dtype: .float64, generator: Generator(seed: 1)))
        #expect(output.dtype == .float64 && output.shape == [2, 3])
        output.sum().backward()
        #expect(net.head[1].parameters().allSatisfy { $0.grad?.dtype == .float64 })
    }

    @Test("a checkpointed sub-module gives the same output and gradients as a plain one")
    func checkpointing() {
        let input = Tensor.randn([2, 1, 5, 5], generator: Generator(seed: 3))
        func run(checkpointed: Bool) -> (output: Tensor, gradients: [Tensor], inputGradient: Tensor) {
            let net = CompositeNet(generator: Generator(seed: 8))
            net.blocks.forEach { ($0 as! CompositeBlock).isCheckpointed = checkpointed }
            net.eval()  // batch norm would update its statistics twice in a checkpointed training step
            let x = input.clone().requiringGrad()
            let output = net(x)
            output.sum().backward()
            return (output, net.parameters().map { $0.grad! }, x.grad!)
        }
        let plain = run(checkpointed: false)
        let checkpointed = run(checkpointed: true)
        // The same kernels on the same values in the same order: identical.
        expectClose(checkpointed.output, plain.output, tolerance: 0)
        expectClose(checkpointed.inputGradient, plain.inputGradient, tolerance: 0)
        for (a, b) in zip(checkpointed.gradients, plain.gradients) { expectClose(a, b, tolerance: 0) }
    }

    @Test("apply visits children before parents, each module once")
    func applyOrder() {
        let net = CompositeNet()
        var visited: [ObjectIdentifier] = []
        net.apply { visited.append(ObjectIdentifier($0)) }
        #expect(visited.last == ObjectIdentifier(net))
        #expect(Set(visited) == Set(net.modules().map(ObjectIdentifier.init)) && visited.count == net.modules().count)
        net.apply { module in if let conv = module as? Conv2d { Init.zeros_(conv.weight) } }
        #expect(net.modules().compactMap { $0 as? Conv2d }.allSatisfy { $0.weight.abs().sum().item(Float.self) == 0 })
    }
}

extension NNProcessWideTests {
    @Suite("Module dropout modes")
    struct DropoutModes {
        @Test("dropout drops and rescales in training and is the identity in evaluation")
        func dropoutModes() {
            let x = Tensor.ones([16, 8, 2, 2, 2])
            for layer in [Dropout(p: 0.5), Dropout2d(p: 0.5), Dropout3d(p: 0.5)] as [Dropout] {
                let trained = layer(x)
                let values = Set(trained.flatten().toArray(of: Float.self))
                #expect(values == [0, 2], "\(type(of: layer)) in training keeps x/(1-p) or 0")
                layer.eval()
                #expect(maxAbsDifference(layer(x), x) == 0, "\(type(of: layer)) in evaluation")
            }
        }
    }
}
