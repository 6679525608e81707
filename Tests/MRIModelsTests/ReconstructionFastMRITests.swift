import Foundation
import Testing

@testable import MRIModels
import TorchTestSupport

/// fastMRI's Unet, NormUnet/SensitivityModel and VarNet against fastMRI 0.3.0 itself
/// (`make_recon_model_fixtures.py`): fastMRI's `.pt` state dicts load strictly and the outputs match.
@Suite struct ReconstructionFastMRITests {
    private func weights(_ name: String) -> URL { Fixture.directory.appendingPathComponent(name) }

    @Test func unetWithOddSizesMatchesFastMRI() throws {
        let fixture = try Fixture("recon_unet")
        let model = Unet(inChans: 2, outChans: 3, chans: 4, numPoolLayers: 3).eval()
        try model.load(from: weights("recon_unet.pt"))
        let output = withoutGradient { model(fixture.tensor("image")) }
        // Same libtorch kernels as fastMRI's run: observed max |Δ| = 0; the margin allows float32
        // summation-order changes (other thread counts) on outputs of size ~1.
        expectClose(output, fixture.tensor("output"), tolerance: 1e-5)
    }

    @Test func unetTrainingStepInChannelsLastEqualsRowMajor() throws {
        // VarNet's width (18 channels, so every convolution path of the channels-last layout runs)
        // on an odd size: output and every parameter gradient against the default layout.
        manualSeed(6)  // a seed whose rounding flips a LeakyReLU input (see below)
        let model = Unet(inChans: 2, outChans: 2, chans: 18, numPoolLayers: 3).train()
        let image = Tensor.randn([1, 2, 69, 75], generator: Generator(seed: 1))
        func step(channelsLast: Bool) -> [Tensor] {
            model.channelsLastOnCPU = channelsLast
            let output = model(image)
            #expect(output.isContiguous)
            return [output.detach()] + gradients(of: [output.square().mean()], with: model.parameters()).map { $0! }
        }
        let (plain, fast) = (step(channelsLast: false), step(channelsLast: true))
        // Each kernel is within float32 rounding of libtorch's (ChannelsLastTests, ChannelsLastConv2dTests),
        // but a LeakyReLU input that rounding moves across zero changes that pixel's gradient by 5×:
        // observed here (seed 6), up to 0.8% of one layer's weight gradient, 2e-6 without such a flip.
        // The margin is for that; a wrong layout or a lost gradient is off by its whole size.
        expectClose(fast[0], plain[0], tolerance: 1e-4 * plain[0].abs().max().item(Double.self), "output")
        for (index, (a, b)) in zip(plain, fast).enumerated().dropFirst() {
            let scale = a.abs().max().item(Double.self)
            #expect(maxAbsDifference(a, b) <= 2e-2 * scale, "gradient \(index): \(maxAbsDifference(a, b)) of \(scale)")
        }
    }

    @Test func varnetMatchesFastMRIWithDetectedAndGivenLowFrequencies() throws {
        let fixture = try Fixture("recon_varnet")
        let model = VarNet(numCascades: 2, sensChans: 4, sensPools: 2, chans: 6, pools: 2).eval()
        try model.load(from: weights("recon_varnet.pt"))
        let kspace = fixture.tensor("masked_kspace")
        let mask = fixture.tensor("mask")
        // FFTs, sensitivity division and two NormUnets in float32, whose operations are ordered a little
        // differently from fastMRI's real-pair arithmetic: observed max |Δ| = 9.5e-7 on outputs of size ~1-10.
        let tolerance = 1e-5
        withoutGradient {
            expectClose(model(kspace, mask: mask), fixture.tensor("output_detected"), tolerance: tolerance)
            expectClose(model(kspace, mask: mask, numLowFrequencies: 4), fixture.tensor("output_given_4"),
                        tolerance: tolerance)
            model.maskCenter = false
            expectClose(model(kspace, mask: mask), fixture.tensor("output_unmasked_centre"), tolerance: tolerance)
            expectClose(model.sensNet(kspace, mask: mask), fixture.tensor("sensitivities_unmasked_centre"),
                        tolerance: tolerance)
        }
    }

    /// Checkpointing no cascade, both (`gradientCheckpointing`), or one (`blockCheckpointing`).
    @Test(arguments: [[false, false], [true, true], [true, false], [false, true]])
    func varnetGradientsMatchFastMRI(checkpointedCascades: [Bool]) throws {
        let fixture = try Fixture("recon_varnet")
        let model = VarNet(numCascades: 2, sensChans: 4, sensPools: 2, chans: 6, pools: 2).train()
        try model.load(from: weights("recon_varnet.pt"))
        if checkpointedCascades.allSatisfy({ $0 }) {
            model.gradientCheckpointing = true
        } else {
            model.blockCheckpointing = checkpointedCascades
        }
        #expect(model.blockCheckpointing == checkpointedCascades)
        #expect(model.checkpointableBlockNames == ["cascades.0", "cascades.1"])
        model(fixture.tensor("masked_kspace"), mask: fixture.tensor("mask")).square().mean().backward()
        let parameters = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, $0.tensor) })
        // Gradients of size ~0.1-0.4 back through both cascades and the sensitivity model in float32,
        // the forward pass's small difference carried back: observed max |Δ| = 5.5e-7 in every case.
        for (key, name) in [
            ("cascades.1.dc_weight", "grad_dc_weight_1"),  // the first cascade's is 0: it starts at the measurement
            ("sens_net.norm_unet.unet.down_sample_layers.0.layers.0.weight", "grad_sens_first_conv"),
            ("cascades.1.model.unet.up_conv.1.1.weight", "grad_cascade_1_output_conv"),
        ] {
            let grad = try #require(parameters[key]?.grad, "no gradient for \(key)")
            expectClose(grad, fixture.tensor(name), tolerance: 1e-5, "\(key)")
        }
    }

    @Test func lowFrequencyDetectionFollowsFastMRI() throws {
        let fixture = try Fixture("recon_varnet")
        let columns = SensitivityModel.lowFrequencyColumns(mask: fixture.tensor("mask"), numLowFrequencies: nil)
        let kept = columns.to(dtype: .float32).sum().item(Double.self)
        #expect(kept == fixture.scalar("num_low_frequencies"))
    }

    @Test func defaultParameterCountsEqualFastMRI() throws {
        let fixture = try Fixture("recon_parameter_counts")
        #expect(Double(VarNet().parameterCount) == fixture.scalar("varnet_default"))
        #expect(Double(Unet(inChans: 1, outChans: 1).parameterCount) == fixture.scalar("unet_1_1_32_4"))
    }
}
