import Foundation
import Testing

@testable import MRIModels
import TorchTestSupport

/// Seed 000's RCAN and its VarNet + GRAPPA + RCAN hybrid against the PyTorch definitions in
/// `make_recon_model_fixtures.py`.
@Suite struct ReconstructionRCANTests {
    private func weights(_ name: String) -> URL { Fixture.directory.appendingPathComponent(name) }

    private func smallRCAN() throws -> RCAN {
        let model = RCAN(inChannels: 2, outChannels: 1, nFeats: 16, nResblocks: 2, nResgroups: 2, reduction: 4,
                         resScale: 0.125)
        try model.load(from: weights("recon_rcan.safetensors"))
        return model
    }

    @Test func rcanMatchesReference() throws {
        let fixture = try Fixture("recon_rcan")
        let model = try smallRCAN().eval()
        let output = withoutGradient { model(fixture.tensor("image")) }
        // Same kernels in the same order: observed max |Δ| = 0; the margin allows float32 summation-order
        // changes on outputs of size ~0.3.
        expectClose(output, fixture.tensor("output"), tolerance: 1e-5)
    }

    /// Both groups checkpointed (the default), one (`blockCheckpointing`), or none.
    @Test(arguments: [[true, true], [false, true], [false, false]])
    func checkpointedResidualGroupsGiveReferenceGradients(checkpointedGroups: [Bool]) throws {
        let fixture = try Fixture("recon_rcan")
        let model = try smallRCAN().train()
        #expect(model.gradientCheckpointing)
        #expect(model.checkpointableBlockNames == ["body.0", "body.1"])
        model.blockCheckpointing = checkpointedGroups
        #expect(model.gradientCheckpointing == !checkpointedGroups.contains(false))
        model(fixture.tensor("image")).square().mean().backward()
        let parameters = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, $0.tensor) })
        // Gradients of size ~1e-2 through the recomputed segments: observed max |Δ| = 0; margin as above.
        let tolerance = 1e-6
        for (key, name) in [("head.0.weight", "grad_head"), ("body.0.body.0.body.2.weight", "grad_inner"),
                            ("tail.0.bias", "grad_tail_bias")] {
            let grad = try #require(parameters[key]?.grad, "no gradient for \(key)")
            expectClose(grad, fixture.tensor(name), tolerance: tolerance, "\(key)")
        }
    }

    @Test func hybridMatchesReferenceWithAndWithoutSelfEnsemble() throws {
        let fixture = try Fixture("recon_varnet_rcan")
        let model = VarNetRCAN(
            varnet: VarNet(numCascades: 1, sensChans: 2, sensPools: 2, chans: 4, pools: 2),
            rcan: RCAN(inChannels: 2, outChannels: 1, nFeats: 8, nResblocks: 1, nResgroups: 2, reduction: 4,
                       resScale: 0.125)
        ).eval()
        try model.load(from: weights("recon_varnet_rcan.safetensors"))
        #expect(model.trainableParameterCount == model.rcan.parameterCount, "the VarNet is frozen")
        let (kspace, mask, grappa) = (fixture.tensor("masked_kspace"), fixture.tensor("mask"), fixture.tensor("grappa"))
        // The VarNet's float32 difference (see the fastMRI tests) carried through RCAN: observed
        // max |Δ| = 4.2e-7 on images of size ~1-5.
        let tolerance = 1e-5
        withoutGradient {
            expectClose(model(kspace, mask: mask, grappaImage: grappa), fixture.tensor("output"), tolerance: tolerance)
            expectClose(model.selfEnsemble(kspace, mask: mask, grappaImage: grappa), fixture.tensor("self_ensemble"),
                        tolerance: tolerance)
        }
    }
}
