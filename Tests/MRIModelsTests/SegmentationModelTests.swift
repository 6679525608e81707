import Foundation
import Testing
import TorchTestSupport

@testable import MRIModels

/// Parity with the PyTorch reference networks (MONAI 1.6.1's SegResNet, SegResNetVAE, BasicUNet and
/// VNet; the seeds' own definitions), from `Fixtures/make_seg_model_fixtures.py`.
///
/// Tolerances: the same libtorch kernels run in both, but the fixture ran on one thread and the tests
/// may run on several, so convolution sums may be ordered differently; float32 rounding through a
/// dozen to fifty layers stays below 1e-5 relative to the output's scale, and 1e-4 of that scale is
/// the bound.
@Suite("Segmentation models")
struct SegmentationModelTests {
    let fixture: Fixture

    init() throws { fixture = try Fixture("seg_models") }

    /// Loads `<name>.safetensors` strictly (throws on any missing, unexpected or mis-shaped key).
    func load(_ model: Module, _ name: String) throws {
        let state = try SafeTensors.load(from: Fixture.directory.appendingPathComponent("\(name).safetensors"))
        try model.loadStateDict(state)
    }

    /// Expects `actual` to match the fixture's `name` within 1e-4 of the expected values' scale.
    func expectMatches(_ actual: Tensor, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = fixture.tensor(name)
        let scale = max(1, expected.abs().max().item(Double.self))
        expectClose(actual, expected, tolerance: 1e-4 * scale, "\(name)", sourceLocation: sourceLocation)
    }

    @Test("Seed 004's U-Net loads the reference weights and gives its probabilities")
    func tutorialUNet() throws {
        let model = SegmentationUNet2D(channelsIn: 2, nClasses: 2, depth: 3, nFilters: 2)
        try load(model, "seg_unet2d")
        expectMatches(model.eval()(fixture.tensor("unet2d_input")), "unet2d_output")
        #expect(SegmentationUNet2D().parameterCount == Int(fixture.scalar("unet2d_default_count")))
    }

    @Test("Buda's U-Net matches brain-segmentation-pytorch in evaluation and training mode")
    func budaUNet() throws {
        let model = BudaUNet(inChannels: 3, outChannels: 1, initFeatures: 2)
        try load(model, "seg_buda_unet")
        let input = fixture.tensor("buda_input")
        expectMatches(model.eval()(input), "buda_output_eval")
        expectMatches(model.train()(input), "buda_output_train")
        // The training pass updated the running statistics as PyTorch's did.
        let norm = try #require(model.encoder1["enc1norm1"] as? BatchNorm2d)
        expectMatches(try #require(norm.runningMean), "buda_running_mean_after")
        #expect(BudaUNet().parameterCount == Int(fixture.scalar("buda_default_count")))
    }

    @Test("SegResNet (2-d, deconv, dropout) matches MONAI")
    func segResNet() throws {
        let model = SegResNet(
            spatialDims: 2, initFilters: 4, inChannels: 2, outChannels: 3, dropoutProb: 0.2, numGroups: 2,
            blocksDown: [1, 2, 2], blocksUp: [1, 1], upsampleMode: .deconv)
        try load(model, "seg_segresnet")
        expectMatches(model.eval()(fixture.tensor("segresnet_input")), "segresnet_output")
        #expect(SegResNet().parameterCount == Int(fixture.scalar("segresnet_default_count")))
    }

    @Test("SegResNetVAE's segmentation and VAE loss match MONAI's with the same noise")
    func segResNetVAE() throws {
        func model(estimateStd: Bool) -> SegResNetVAE {
            SegResNetVAE(
                inputImageSize: [8, 8, 8], vaeEstimateStd: estimateStd, vaeNz: 32, spatialDims: 3, initFilters: 4,
                inChannels: 2, outChannels: 3, numGroups: 2, blocksDown: [1, 2, 2], blocksUp: [1, 1])
        }
        let input = fixture.tensor("vae_input")
        let estimated = model(estimateStd: true)
        try load(estimated, "seg_segresnet_vae")
        // The fixture's noise is the first draw after torch.manual_seed(7).
        let (segmentation, loss) = estimated.train().forward(input, generator: Generator(seed: 7))
        expectMatches(segmentation, "vae_output_train")
        expectMatches(try #require(loss), "vae_loss")
        let fixed = model(estimateStd: false)
        try load(fixed, "seg_segresnet_vae")
        expectMatches(try #require(fixed.train().forward(input, generator: Generator(seed: 7)).vaeLoss),
                      "vae_loss_fixed_std")
        #expect(fixed.eval().forward(input, generator: nil).vaeLoss == nil)

        #expect(SegResNetVAE(inputImageSize: [96, 96, 96]).parameterCount
                == Int(fixture.scalar("vae_default_count")))
        #expect(SegResNetVAE.myronenko2018().parameterCount == Int(fixture.scalar("vae_myronenko_count")))
    }

    @Test("BasicUNet matches MONAI in 3-d (instance norm, odd size) and 2-d (batch norm, interpolation)")
    func basicUNet() throws {
        let model = BasicUNet(spatialDims: 3, inChannels: 1, outChannels: 2, features: [4, 4, 8, 8, 16, 4])
        try load(model, "seg_basic_unet")
        let input = (Tensor.arange(32 * 16 * 18, dtype: .float32) * 0.37).sin().reshape([1, 1, 32, 16, 18])
        let strided = model.eval()(input)[.all, .all, .range(step: 2), .range(step: 2), .range(step: 2)]
        expectMatches(strided, "basic_unet_output_strided")
        #expect(BasicUNet().parameterCount == Int(fixture.scalar("basic_unet_default_count")))

        let planar = BasicUNet(
            spatialDims: 2, inChannels: 1, outChannels: 2, features: [4, 4, 8, 8, 16, 4], norm: .batch,
            upsample: .nontrainable)
        try load(planar, "seg_basic_unet_2d")
        expectMatches(planar.eval()(fixture.tensor("basic_unet_2d_input")), "basic_unet_2d_output")
    }

    @Test("VNet has MONAI's keys and shapes and matches it with ELU and PReLU", arguments: [
        ("vnet_elu", VNet.Activation.elu), ("vnet_prelu", VNet.Activation.prelu),
    ])
    func vNet(name: String, act: VNet.Activation) throws {
        let model = VNet(spatialDims: 2, inChannels: 2, outChannels: 3, act: act)
        // Strict loading of a state dict with exactly MONAI's keys and shapes checks the structure.
        try model.loadStateDict(try formulaState(keysAndShapes: try SummaryFixture.load().vnetStateShapes[name] ?? []))
        expectMatches(model.eval()(fixture.tensor(name + "_input")), name + "_output")
    }

    @Test("VNet's parameter counts equal MONAI's for the default and the paper's activation")
    func vNetParameterCounts() {
        #expect(VNet().parameterCount == Int(fixture.scalar("vnet_default_count")))
        #expect(VNet.paper(outChannels: 1).parameterCount == Int(fixture.scalar("vnet_prelu_default_count")))
    }
}

/// The fixture script's `formula_state`: each tensor a function of its key, so that MONAI's 2-d VNet
/// (9 M parameters) needs no weight file.
func formulaState(keysAndShapes: [SummaryFixture.KeyShape]) throws -> StateDict {
    StateDict(keysAndShapes.map { entry in
        let (key, shape) = (entry.key, entry.shape)
        if key.hasSuffix("num_batches_tracked") { return (key, Tensor.zeros(shape, dtype: .int64)) }
        let count = shape.reduce(1, *)
        let codes = key.unicodeScalars.reduce(0) { $0 + Int($1.value) }
        let phase = Double((key.count * 7 + codes) % 1000) / 100
        let wave = (Tensor.arange(count, dtype: .float32) * 0.731 + phase).sin().reshape(shape)
        if key.hasSuffix("running_var") { return (key, wave * 0.25 + 1.25) }
        if shape.count == 1 { return (key, wave * 0.1 + (key.hasSuffix("weight") ? 1.0 : 0.0)) }
        return (key, wave * (3.0 / (Double(count) / Double(shape[0]))).squareRoot())
    })
}

/// `seg_summary.json`: torchsummary's text for seed 003's MiniVNet and MONAI VNet's keys and shapes.
struct SummaryFixture: Decodable {
    /// A state-dict key and its tensor's shape, stored as `[key, shape]`.
    struct KeyShape: Decodable {
        let key: String
        let shape: [Int]

        init(from decoder: Decoder) throws {
            var container = try decoder.unkeyedContainer()
            key = try container.decode(String.self)
            shape = try container.decode([Int].self)
        }
    }

    let minivnetText: String
    let vnetStateShapes: [String: [KeyShape]]

    enum CodingKeys: String, CodingKey {
        case minivnetText = "minivnet_text"
        case vnetStateShapes = "vnet_state_shapes"
    }

    static func load() throws -> SummaryFixture {
        try JSONDecoder().decode(
            SummaryFixture.self, from: Data(contentsOf: Fixture.directory.appendingPathComponent("seg_summary.json")))
    }
}
