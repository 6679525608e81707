import Testing
import TorchTestSupport

@testable import MRI

@Suite("MRI simulation")
struct SimulationTests {
    let fixture: Fixture

    init() throws { fixture = try Fixture("simulation") }

    // Both sides sum the same double intensities in the same order and round to float32; pixels
    // on an ellipse boundary would differ by a whole intensity, so 1e-6 also proves no pixel flips.
    @Test("sheppLogan equals BART's `phantom -x N` for even and odd N")
    func sheppLoganMatchesBART() throws {
        expectClose(try Phantoms.sheppLogan([64, 64]), fixture.tensor("bart_phantom_64"), tolerance: 1e-6)
        expectClose(try Phantoms.sheppLogan([63, 63]), fixture.tensor("bart_phantom_63"), tolerance: 1e-6)
    }

    @Test("sheppLogan3D equals the numpy rendering of the same ellipsoid table")
    func sheppLogan3D() throws {
        expectClose(try Phantoms.sheppLogan3D([12, 20, 16]), fixture.tensor("shepp_logan_3d"), tolerance: 1e-6)
    }

    @Test("the brain phantom labels every tissue and paints each with its intensity")
    func brain() throws {
        let (image, labels) = try Phantoms.brain([96, 80])
        let present = Set(labels.toArray(of: Int.self))
        #expect(present == Set(Phantoms.Tissue.allCases.map(\.rawValue)))
        for tissue in Phantoms.Tissue.allCases {
            let values = image.maskedSelect(labels .== tissue.rawValue)
            #expect(values.eq(Float(tissue.intensity)).all().item(Bool.self), "\(tissue)")
        }
    }

    @Test("loop-coil sensitivities satisfy Σ|S|² = 1 and differ between coils")
    func sensitivities() throws {
        let maps = try CoilSensitivities.loopCoils(shape: [32, 40], coils: 8)
        #expect(maps.shape == [1, 8, 32, 40])
        // float32 maps normalised in double: |S|² sums to 1 within a few float32 ulps.
        expectClose(maps.abs().square().sum(dim: 1), Tensor.ones([1, 32, 40]), tolerance: 1e-5)
        // Coil 0 sits at +x: it sees the right edge more than the left.
        let coil0 = maps[0, 0].abs()
        #expect(coil0[16, 39].item(Double.self) > 2 * coil0[16, 0].item(Double.self))
    }

    @Test("noiseless fully sampled coil images have RSS equal to the object magnitude")
    func rssEqualsObject() throws {
        let object = try Phantoms.sheppLogan([48, 40]).unsqueeze(0)
        let acquisition = try Simulation.acquire(object: object, coils: 6, phaseAmplitude: 2)
        let rss = CoilCombination.rootSumOfSquares(CenteredFFT.inverse(acquisition.kspace), dim: 1)
        // Σ|S|² = 1, so RSS = |x| (factor 1); float32 FFT round trip: ~1e-6 of the maximum 1.
        expectClose(rss, object, tolerance: 1e-5)
        expectClose(acquisition.target.abs().squeeze(dim: 1), object, tolerance: 1e-6)
        // The sensitivity-weighted combination recovers the complex target itself.
        expectClose(
            try CoilCombination.combine(
                CenteredFFT.inverse(acquisition.kspace), sensitivities: acquisition.sensitivities),
            acquisition.target, tolerance: 1e-5)
    }

    @Test("the noise has the standard deviation the requested SNR defines")
    func noiseLevel() throws {
        let object = try Phantoms.sheppLogan([64, 64]).unsqueeze(0)
        let clean = try Simulation.acquire(object: object, coils: 8)
        let noisy = try Simulation.acquire(object: object, coils: 8, snr: 20, seed: 3)
        // The support is |x| > 0 (the phantom's 1 − 0.8 − 0.2 regions hold ±1e-17, inside it).
        let support = object.abs() .> 0
        let meanSignal = object.maskedSelect(support).mean().item(Double.self)
        #expect(abs(noisy.noiseStd - meanSignal / 20) < 1e-9)
        let noise = noisy.kspace - clean.kspace
        let measured = noise.abs().square().mean().item(Double.self).squareRoot()
        // |n|²/σ² is Exp(1) over N = 32768 samples: the std estimate has relative sd ≈ 1/(2√N) = 0.28%;
        // 2% is 7 standard deviations.
        #expect(abs(measured / noisy.noiseStd - 1) < 0.02)
        // Real and imaginary parts carry half the variance each.
        let realPart = noise.real.square().mean().item(Double.self)
        #expect(abs(realPart / (noisy.noiseStd * noisy.noiseStd / 2) - 1) < 0.04)
    }

    @Test("the mask zeroes the unsampled k-space and keeps the sampled lines")
    func masking() throws {
        let object = try Phantoms.brain([32, 32]).image.unsqueeze(0)
        var function = try EquiSpacedMaskFunc(centerFractions: [0.125], accelerations: [4])
        let mask = try function([1, 4, 32, 32], offset: nil, seed: .integer(1)).mask
        let full = try Simulation.acquire(object: object, coils: 4, snr: 10, seed: 9)
        let masked = try Simulation.acquire(object: object, coils: 4, snr: 10, mask: mask, seed: 9)
        #expect(masked.kspace.equal(full.kspace * mask))
        #expect(masked.kspace.shape == [1, 4, 32, 32])
    }

    @Test("complex objects and volumes: RSS equals |object| and the combination recovers the target")
    func complexAndVolume() throws {
        let slice = try Phantoms.sheppLogan([24, 20])
        let complexObject = Tensor.polar(abs: slice, angle: slice * 3).unsqueeze(0)
        let planar = try Simulation.acquire(object: complexObject, coils: 4, phaseAmplitude: 0)
        // Without background phase the target is the object itself (float32 copies).
        #expect(planar.target.squeeze(dim: 1).equal(complexObject))
        let volume = try Phantoms.sheppLogan3D([6, 24, 20]).unsqueeze(0)
        let acquisition = try Simulation.acquire(object: volume, coils: 5, snr: 30, seed: 1)
        #expect(acquisition.kspace.shape == [1, 5, 6, 24, 20])
        #expect(acquisition.target.shape == [1, 1, 6, 24, 20])
        let clean = try Simulation.acquire(object: volume, coils: 5)
        let images = CenteredFFT.inverse(clean.kspace, dims: [-3, -2, -1])
        // As in 2D: Σ|S|² = 1 on every slice, float32 3D FFT round trip.
        expectClose(CoilCombination.rootSumOfSquares(images, dim: 1), volume.abs(), tolerance: 1e-5)
    }

    @Test("bad simulation input throws MRIError")
    func badInput() throws {
        let object = try Phantoms.sheppLogan([16, 16]).unsqueeze(0)
        #expect(throws: MRIError.self) { try Simulation.acquire(object: object, coils: 4, snr: 0) }
        #expect(throws: MRIError.self) { try Simulation.acquire(object: object[0, 0], coils: 4) }
        #expect(throws: MRIError.self) { try Simulation.acquire(object: object / 0, coils: 4) }
        #expect(throws: MRIError.self) {
            try Simulation.acquire(object: object, coils: 4, mask: Tensor.ones([1, 1, 1, 15]))
        }
        #expect(throws: MRIError.self) { try Simulation.acquire(object: Tensor.zeros([1, 8, 8]), coils: 2, snr: 5) }
        #expect(throws: MRIError.self) { try CoilSensitivities.loopCoils(shape: [8, 8], coils: 0) }
        #expect(throws: MRIError.self) { try Phantoms.sheppLogan([8]) }
    }
}
