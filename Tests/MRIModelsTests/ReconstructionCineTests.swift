import Foundation
import Testing

@testable import MRIModels
import TorchTestSupport

/// Seed 001's cine network and DC-CNN against the PyTorch definitions in `make_recon_model_fixtures.py`.
@Suite struct ReconstructionCineTests {
    private func weights(_ name: String) -> URL { Fixture.directory.appendingPathComponent(name) }

    @Test func cineNetworkMatchesReferenceInEvaluationWithAndWithoutDataConsistencyAndInTraining() throws {
        let fixture = try Fixture("recon_cine")
        let model = CineUNetResNet(frames: 4, initFeatures: 4, numPoolLayers: 2, nFeats: 8, nResblocks: 2).eval()
        try model.load(from: weights("recon_cine.safetensors"))
        let (image, kspace, mask) = (fixture.tensor("image"), fixture.tensor("kspace"), fixture.tensor("mask"))
        // Same kernels in the same order: observed max |Δ| = 0; the margin allows float32
        // summation-order changes through ~20 layers on outputs of size ~1.
        let tolerance = 1e-5
        withoutGradient {
            expectClose(model(image), fixture.tensor("output"), tolerance: tolerance)
            expectClose(model(image, kspace: kspace, mask: mask), fixture.tensor("output_dc"), tolerance: tolerance)
            model.train()
            expectClose(model(image), fixture.tensor("output_train"), tolerance: tolerance)
        }
    }

    @Test func dccnnMatchesReferenceWithExactAndNoisyDataConsistency() throws {
        let fixture = try Fixture("recon_dccnn")
        let model = DCCNN(nChannels: 8, nc: 2, nd: 3, nf: 8, ks: 3)
        try model.load(from: weights("recon_dccnn.safetensors"))
        let (image, kspace, mask) = (fixture.tensor("image"), fixture.tensor("kspace"), fixture.tensor("mask"))
        // Same kernels in the same order: observed max |Δ| = 0; margin as above.
        let tolerance = 1e-5
        withoutGradient {
            expectClose(model(image, kspace: kspace, mask: mask), fixture.tensor("output"), tolerance: tolerance)
            model.noiseLevel = 0.5
            expectClose(model(image, kspace: kspace, mask: mask), fixture.tensor("output_noise_0_5"),
                        tolerance: tolerance)
        }
    }
}
