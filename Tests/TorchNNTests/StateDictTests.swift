import Foundation
import Testing
@testable import TorchNN
import TorchTestSupport

private let moduleFixtures = Fixture.directory.appendingPathComponent("module")

private func temporaryFile(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("mrikit-\(UUID().uuidString)-\(name)")
}

/// `CompositeNet` holding the state dict that PyTorch saved with `torch.save(net.state_dict())`.
private func loadedCompositeNet() throws -> CompositeNet {
    let net = CompositeNet()
    try net.load(from: moduleFixtures.appendingPathComponent("composite.pt"))
    return net
}

@Suite("State dicts")
struct StateDictTests {
    /// Float32 with the same libtorch kernels on both sides; only the summation order of
    /// reductions can differ (thread count): a few ulps of values of order 1-10.
    static let tolerance = 1e-5

    @Test("state-dict keys of a composite model equal PyTorch's, in order")
    func keysMatchPyTorch() throws {
        let pytorch = try TorchCheckpoint.load(from: moduleFixtures.appendingPathComponent("composite.pt"))
        #expect(CompositeNet().stateDictKeys == pytorch.keys)
        #expect(CompositeNet().stateDict().keys == pytorch.keys)
    }

    @Test("a state dict PyTorch saved loads and gives PyTorch's outputs, gradients and buffer updates")
    func pytorchCheckpointRuns() throws {
        let fixture = try Fixture("module_composite")
        let net = try loadedCompositeNet()
        let input = fixture.tensor("x")
        net.eval()
        expectClose(withoutGradient { net(input) }, fixture.tensor("eval.out"), tolerance: Self.tolerance, "eval output")
        net.train()
        let x = input.clone().requiringGrad()
        let output = net(x)
        expectClose(output, fixture.tensor("train.out"), tolerance: Self.tolerance, "train output")
        output.backward(gradient: fixture.tensor("train.g"))
        expectClose(x.grad!, fixture.tensor("train.grad.x"), tolerance: Self.tolerance, "input gradient")
        for (name, parameter) in net.namedParameters() {
            expectClose(parameter.grad!, fixture.tensor("train.grad.\(name)"), tolerance: Self.tolerance, "\(name) gradient")
        }
        for (name, buffer) in net.namedBuffers() {
            expectClose(buffer, fixture.tensor("train.after.\(name)"), tolerance: Self.tolerance, "\(name) after training step")
        }
    }

    @Test("a safetensors file PyTorch wrote loads the same values as its .pt")
    func pytorchSafeTensors() throws {
        let fromPt = try loadedCompositeNet()
        let fromSafeTensors = CompositeNet()
        try fromSafeTensors.load(fromPath: moduleFixtures.appendingPathComponent("composite.safetensors").path)
        for ((key, a), (_, b)) in zip(fromPt.stateDict(), fromSafeTensors.stateDict()) {
            #expect(a.dtype == b.dtype, "\(key)")
            expectClose(a, b, tolerance: 0, "\(key)")
        }
    }

    @Test("loading copies into the existing tensors, so references held elsewhere see the values")
    func loadingKeepsTensorIdentity() throws {
        let net = CompositeNet()
        let before = net.parameters()
        try net.load(from: moduleFixtures.appendingPathComponent("composite.pt"))
        #expect(zip(before, net.parameters()).allSatisfy { $0 === $1 })
        let pytorch = try TorchCheckpoint.load(from: moduleFixtures.appendingPathComponent("composite.pt"))
        expectClose(before[0], pytorch["dc_weight"]!, tolerance: 0)
        #expect(before.allSatisfy { $0.isLeaf && $0.requiresGrad })
    }

    @Test("a strict load reports every missing key, unexpected key and shape mismatch, and loads nothing")
    func strictErrors() throws {
        let net = CompositeNet()
        var state = net.stateDict()
        state["stem.0.bias"] = nil
        state["blocks.1.norm.running_var"] = nil
        state["head.2.weight"] = Tensor.zeros([1])
        state["head.1.weight"] = Tensor.zeros([3, 49])
        state["dc_weight"] = Tensor.full([1], 5.0)
        let target = CompositeNet(generator: Generator(seed: 4))
        let error = #expect(throws: StateDictLoadError.self) { try target.loadStateDict(state) }
        #expect(error?.mismatch.missingKeys == ["stem.0.bias", "blocks.1.norm.running_var"])
        #expect(error?.mismatch.unexpectedKeys == ["head.2.weight"])
        #expect(error?.mismatch.shapeMismatches == [.init(key: "head.1.weight", expected: [3, 50], found: [3, 49])])
        let message = error.map { String(describing: $0) } ?? ""
        for key in ["stem.0.bias", "blocks.1.norm.running_var", "head.2.weight", "head.1.weight"] {
            #expect(message.contains(key), "the message names \(key)")
        }
        #expect(target.dataConsistencyWeight.item(Float.self) == 1, "nothing was loaded")
    }

    @Test("a non-strict load loads what matches and returns the rest")
    func nonStrict() throws {
        let net = CompositeNet()
        let state: StateDict = ["dc_weight": Tensor.full([1], 5.0), "extra": Tensor.zeros([1]),
                                "head.1.bias": Tensor.zeros([4])]
        let mismatch = try net.loadStateDict(state, strict: false)
        #expect(mismatch.unexpectedKeys == ["extra"])
        #expect(mismatch.shapeMismatches.map(\.key) == ["head.1.bias"])
        #expect(mismatch.missingKeys.count == net.stateDictKeys.count - 2)
        #expect(net.dataConsistencyWeight.item(Float.self) == 5)
    }

    @Test("save and load round-trip through safetensors and .pt; other extensions are refused")
    func roundTrips() throws {
        let source = try loadedCompositeNet()
        for name in ["model.safetensors", "model.pt"] {
            let url = temporaryFile(name)
            defer { try? FileManager.default.removeItem(at: url) }
            try source.save(to: url)
            let copy = CompositeNet(generator: Generator(seed: 9))
            try copy.load(from: url)
            for ((key, a), (_, b)) in zip(source.stateDict(), copy.stateDict()) {
                #expect(a.dtype == b.dtype)
                expectClose(a, b, tolerance: 0, "\(name) \(key)")
            }
        }
        #expect(throws: SerializationError.self) { try source.save(to: temporaryFile("model.npz")) }
    }

    /// make_module_fixtures.py loads the golden file with `torch.load` into its `Net` strictly and
    /// checks its output; this keeps MRIKit's writer producing exactly that file.
    @Test("MRIKit writes the golden .pt that PyTorch loaded")
    func goldenFile() throws {
        let net = try loadedCompositeNet()
        let golden = moduleFixtures.appendingPathComponent("written_by_mrikit.pt")
        if ProcessInfo.processInfo.environment["MRIKIT_WRITE_MODULE_GOLDEN"] == "1" { try net.save(to: golden) }
        let url = temporaryFile("golden.pt")
        defer { try? FileManager.default.removeItem(at: url) }
        try net.save(to: url)
        #expect(try Data(contentsOf: url) == Data(contentsOf: golden))
    }
}
