import Testing

@testable import MRI
import TorchTestSupport

/// One 48×48, 8-coil acquisition (every 4th column plus 12 ACS columns) and what fastMRI, pygrappa,
/// BART and numpy make of it (`make_reconstruction_fixtures.py`).
@Suite("Classic reconstruction")
struct ReconstructionTests {
    let data: Fixture
    let results: Fixture
    let maps: Fixture
    let kspace: Tensor
    let mask: Tensor
    let reference: Tensor

    init() throws {
        data = try Fixture("reconstruction_data")
        results = try Fixture("reconstruction_results")
        maps = try Fixture("reconstruction_maps")
        mask = data.tensor("mask")
        kspace = data.tensor("kspace") * mask
        reference = results.tensor("reference")
    }

    /// `‖|x| − reference‖ / ‖reference‖`, the NRMSE the fixture script reports for every tool.
    func nrmse(_ image: Tensor) -> Double {
        let magnitude = image.dtype.isComplex ? image.abs() : image
        return ((magnitude - reference).norm() / reference.norm()).item(Double.self)
    }

    @Test("zero-filled RSS equals fastMRI's ifft2c then rss")
    func zeroFilledMatchesFastMRI() throws {
        let expected = results.tensor("zero_filled")
        // float32 FFTs of values up to 2·10⁴ and 7-digit fixture text: ~1e-6 relative.
        let tolerance = 1e-5 * expected.max().item(Double.self)
        expectClose(try ZeroFilled.rss(data.tensor("kspace"), mask: mask), expected, tolerance: tolerance)
        expectClose(try ZeroFilled.rss(kspace), expected, tolerance: tolerance)
    }

    @Test("the ACS width found from the mask is the simulated one")
    func acsLinesFromMask() throws {
        #expect(try Calibration.acsLineCount(mask: mask) == Int(results.scalar("acs_lines")))
        #expect(try Calibration.acsRegion(kspace, mask: mask).shape == [1, 8, 48, 12])
    }

    @Test("GRAPPA's NRMSE is within 1% of pygrappa's on the same data (5×5 kernel, λ = 0.01)")
    func grappaMatchesPygrappa() throws {
        let filled = try GRAPPA.reconstruct(kspace, mask: mask, kernelSize: [5, 5], lambda: 0.01)
        let ours = nrmse(try ZeroFilled.rss(filled))
        let theirs = results.scalar("grappa_nrmse")
        #expect(ours <= theirs * 1.01, "GRAPPA NRMSE \(ours) vs pygrappa \(theirs)")
        // Acquired samples are kept as they were.
        expectClose(filled * mask, kspace, tolerance: 0)
    }

    @Test("GRAPPA calibrates each slice of a batch on its own (a scaled slice gives the scaled result)")
    func grappaBatched() throws {
        let batch = Tensor.cat([kspace, kspace * 0.5], dim: 0)
        let filled = try GRAPPA.reconstruct(batch, mask: mask)
        let single = try GRAPPA.reconstruct(kspace, mask: mask)
        let scale = single.abs().max().item(Double.self)
        // The weights are scale-invariant (λ₀ scales with ‖SᴴS‖); float32 solves agree to ~1e-5 relative.
        expectClose(filled[0..<1], single, tolerance: 1e-4 * scale)
        expectClose(filled[1..<2], single * 0.5, tolerance: 1e-4 * scale)
    }

    @Test("low-resolution ACS maps equal numpy's (ACS columns only, divided by their RSS)")
    func lowResolutionMaps() throws {
        let estimated = try SensitivityEstimation.lowResolution(kspace, mask: mask)
        // numpy's maps are stored rounded to 4 decimals: a complex error up to √2 · 5e-5.
        expectClose(estimated[.all, .all, .range(nil, nil, step: 2), .range(nil, nil, step: 2)],
                    maps.tensor("acs_maps_subgrid"), tolerance: 8e-5)
    }

    @Test("ESPIRiT maps correlate ≥ 0.99 with BART ecalib -m1 on the object (up to ESPIRiT's per-pixel phase)",
          arguments: [30, 0])
    func espiritMatchesBART(powerIterations: Int) throws {
        let estimated = try SensitivityEstimation.espirit(
            kspace, mask: mask, kernelSize: [6, 6], powerIterations: powerIterations)
        let ours = estimated[.all, .all, .range(nil, nil, step: 2), .range(nil, nil, step: 2)]
        let bart = maps.tensor("espirit_subgrid")
        let support = maps.tensor("support_subgrid").unsqueeze(1)
        let (a, b) = (ours * support, bart * support)
        let inner = (a * b.conj()).sum(dim: 1).abs().sum()
        let correlation = (inner / (a.abs().square().sum() * b.abs().square().sum()).sqrt()).item(Double.self)
        #expect(correlation >= 0.99, "correlation \(correlation)")
    }

    @Test("CG-SENSE follows numpy's CG with the same λ: same residuals and image")
    func cgSenseMatchesNumpy() throws {
        let sensitivities = try SensitivityEstimation.lowResolution(kspace, mask: mask)
        let result = try CGSENSE.reconstruct(
            kspace, mask: mask, sensitivities: sensitivities, lambda: results.scalar("sense_lambda"), iterations: 10)
        let expectedResiduals = results.tensor("sense_residuals")
        let residuals = result.residualNorms.reshape([-1])
        // The maps differ by numpy's 4-decimal rounding (~1e-4 relative); CG amplifies it a little.
        let residualScale = expectedResiduals[0].item(Double.self)
        expectClose(residuals.to(dtype: .float64), expectedResiduals, tolerance: 2e-3 * residualScale)
        #expect(residuals[10].item(Double.self) < 0.05 * residuals[0].item(Double.self), "the residual falls")
        let expected = results.tensor("sense")
        expectClose(result.image, expected, tolerance: 2e-3 * expected.abs().max().item(Double.self))
    }

    @Test("L1-wavelet CS's NRMSE is within 1% of BART pics -l1 (same maps, same λ, BART's level count)")
    func compressedSensingMatchesBART() throws {
        let sensitivities = try SensitivityEstimation.lowResolution(kspace, mask: mask)
        #expect(HaarWavelet.bartLevels(size: [48, 48]) == 2, "BART decomposes 48² twice (bands 48, 24 ≥ 16)")
        let image = try CompressedSensing.reconstruct(
            kspace, mask: mask, sensitivities: sensitivities, regularizer: .l1Wavelet(),
            lambda: results.scalar("cs_lambda"), iterations: 100)
        let ours = nrmse(image)
        let theirs = results.scalar("bart_cs_nrmse")
        #expect(ours <= theirs * 1.01, "CS NRMSE \(ours) vs BART \(theirs)")
    }

    @Test("total variation reaches BART pics -R T's minimiser (same operator, maps and λ; BART converged)")
    func totalVariationMatchesBART() throws {
        let sensitivities = try SensitivityEstimation.lowResolution(kspace, mask: mask)
        let image = try CompressedSensing.reconstruct(
            kspace, mask: mask, sensitivities: sensitivities, regularizer: .totalVariation,
            lambda: results.scalar("tv_lambda"), iterations: 300)
        let bart = results.tensor("bart_tv")
        // Both solve the same problem: in float64, 300 primal-dual steps come within 1.2e-5 of BART's
        // 1000 ADMM steps (and 3000 steps within 6e-7). In float32 the distance levels off at 5.2e-5
        // (5.4e-5 after 300 steps, 5.2e-5 after 1000; the fixture's 0.1 rounding adds ~1e-5), so 1e-4.
        let distance = ((image - bart).norm() / bart.norm()).item(Double.self)
        #expect(distance < 1e-4, "relative distance to BART's TV image \(distance)")
        let ours = nrmse(image)
        let theirs = results.scalar("bart_tv_nrmse")
        #expect(ours <= theirs * 1.01, "TV NRMSE \(ours) vs BART \(theirs)")
    }

    @Test("the Haar transform is orthonormal: it keeps the norm and its inverse undoes it")
    func haarIsOrthonormal() {
        let x = kspace[0, 0..<2]
        let coefficients = HaarWavelet.forward(x, levels: 3)
        let scale = x.abs().max().item(Double.self)
        expectClose(HaarWavelet.inverse(coefficients, levels: 3), x, tolerance: 1e-5 * scale)
        let ratio = (coefficients.norm() / x.norm()).item(Double.self)
        #expect(abs(ratio - 1) < 1e-5)
    }

    @Test("bad input is a thrown error naming the problem")
    func badInput() throws {
        func message(_ body: () throws -> Tensor) -> String {
            do { _ = try body() } catch { return "\(error)" }
            return "no error"
        }
        let narrowMask = mask[0..<47]
        #expect(message { try ZeroFilled.rss(kspace, mask: narrowMask) }.contains("mask: width 47"))
        #expect(message { try GRAPPA.reconstruct(kspace, mask: narrowMask) }.contains("mask: width 47"))
        let wrongMaps = Tensor.zeros([1, 4, 48, 48], dtype: .complex64)
        #expect(message { try ZeroFilled.sensitivityCombined(kspace, sensitivities: wrongMaps) }.contains("sensitivities"))
        #expect(message {
            try CGSENSE.reconstruct(kspace, mask: mask, sensitivities: wrongMaps).image
        }.contains("sensitivities: shape"))
        let corrupted = kspace.clone()
        corrupted.fill_(.nan, at: 0, 0, 3, 3)
        #expect(message { try GRAPPA.reconstruct(corrupted, mask: mask) }.contains("NaN"))
        let noCentre = mask.clone()
        noCentre.fill_(0, at: 24)
        #expect(message { try SensitivityEstimation.espirit(kspace, mask: noCentre) }.contains("zero ACS lines"))
        #expect(message { try Calibration.acsRegion(kspace, lines: 0) }.contains("zero ACS lines"))
        #expect(message { try ZeroFilled.rss(kspace[0]) }.contains("[batch, coils, H, W]"))
    }
}
