import Foundation
import Testing
import TorchTestSupport

@testable import MRI

/// fastMRI's call seeds: file names become `tuple(map(ord, name))`, integers stay integers.
private enum CallSeed {
    case file(String)
    case integer(UInt32)

    var maskSeed: MaskSeed {
        switch self {
        case .file(let name): .fileName(name)
        case .integer(let value): .integer(value)
        }
    }
}

/// The configurations of make_mask_fixtures.py (shapes without fastMRI's trailing 2).
private let configurations:
    [(label: String, fractions: [Double], accelerations: [Int], any: Bool, shape: [Int], seeds: [CallSeed])] = [
        ("knee4x", [0.08], [4], false, [1, 640, 368], [.file("file1000001.h5"), .file("file1001059.h5")]),
        ("brain8x", [0.04], [8], false, [16, 320, 396], [.file("file_brain_AXT2_200_2000019.h5"), .integer(7)]),
        ("odd", [0.08, 0.04], [4, 8], false, [1, 16, 101], [.file("a.h5"), .file("file1000002.h5"), .integer(123)]),
        ("any", [0.08, 0.04], [4, 8], true, [1, 16, 64], [.file("file1000003.h5"), .integer(5)]),
        ("tie", [0.025], [8], false, [1, 8, 100], [.file("file1000004.h5"), .integer(1)]),
    ]

private func maskFunction(
    _ kind: String, _ fractions: [Double], _ accelerations: [Int], any: Bool, seed: UInt32
) throws -> any MaskFunction {
    switch kind {
    case "random":
        try RandomMaskFunc(
            centerFractions: fractions, accelerations: accelerations, allowAnyCombination: any, seed: seed)
    case "equispaced":
        try EquiSpacedMaskFunc(
            centerFractions: fractions, accelerations: accelerations, allowAnyCombination: any, seed: seed)
    case "equispaced_fraction":
        try EquispacedMaskFractionFunc(
            centerFractions: fractions, accelerations: accelerations, allowAnyCombination: any, seed: seed)
    case "magic":
        try MagicMaskFunc(
            centerFractions: fractions, accelerations: accelerations, allowAnyCombination: any, seed: seed)
    default:
        try MagicMaskFractionFunc(
            centerFractions: fractions, accelerations: accelerations, allowAnyCombination: any, seed: seed)
    }
}

@Suite("Masks")
struct MaskTests {
    let fixture: Fixture

    init() throws { fixture = try Fixture("masks") }

    private func integers(_ name: String) -> [Int] { fixture.tensor(name).toArray(of: Int.self) }

    @Test(
        "NumpyRandomState's words, doubles, randint and choice equal numpy's RandomState",
        arguments: ["int0", "int42", "intmax", "file"])
    func numpyStream(seedName: String) throws {
        var random: NumpyRandomState
        switch seedName {
        case "int0": random = NumpyRandomState(seed: 0)
        case "int42": random = NumpyRandomState(seed: 42)
        case "intmax": random = NumpyRandomState(seed: UInt32.max)
        default: random = try NumpyRandomState(fileName: "file1000001.h5")
        }
        let words = integers("rng_\(seedName)_uint32")
        #expect(words.map { _ in Int(random.nextUInt32()) } == words)
        // Doubles are built from integer words by exact arithmetic, so equality is exact.
        let doubles = fixture.tensor("rng_\(seedName)_double").toArray(of: Double.self)
        #expect(random.randomSample(count: doubles.count) == doubles)
        let draws = try integers("randint_highs").map { try random.randint(0, $0) }
        #expect(draws == integers("rng_\(seedName)_randint"))
        let weights = (0..<40).map { Foundation.exp(-0.05 * (Double($0) - 20) * (Double($0) - 20)) + 0.1 }
        let total = weights.reduce(0, +)
        let chosen = try random.choiceWithoutReplacement(weights.map { $0 / total }, count: 15)
        #expect(chosen == integers("rng_\(seedName)_choice"))
    }

    @Test(
        "the five fastMRI mask functions give fastMRI's masks for the same seeds and file names",
        arguments: ["random", "equispaced", "equispaced_fraction", "magic", "magic_fraction"])
    func fastMRIMasks(kind: String) throws {
        for config in configurations {
            for (k, seed) in config.seeds.enumerated() {
                var function = try maskFunction(kind, config.fractions, config.accelerations, any: config.any, seed: 0)
                let sampled = try function(config.shape, offset: nil, seed: seed.maskSeed)
                let name = "\(kind)_\(config.label)_\(k)"
                #expect(sampled.mask.shape == [1, 1, config.shape[2]])
                #expect(sampled.mask.reshape([-1]).equal(fixture.tensor(name)), "\(name)")
                #expect(sampled.numLowFrequencies == Int(fixture.scalar("\(name)_low")), "\(name)")
            }
            var function = try maskFunction(kind, config.fractions, config.accelerations, any: config.any, seed: 3)
            for k in 0..<2 {
                let sampled = try function(config.shape, offset: nil, seed: nil)
                let name = "\(kind)_\(config.label)_stream\(k)"
                #expect(sampled.mask.reshape([-1]).equal(fixture.tensor(name)), "\(name)")
                #expect(sampled.numLowFrequencies == Int(fixture.scalar("\(name)_low")), "\(name)")
            }
        }
        var function = try maskFunction(kind, [0.08], [4], any: false, seed: 0)
        // The convenience form (random offset) draws the same as an explicit nil offset.
        #expect(
            try function([1, 16, 64], seed: .integer(9)).mask.equal(
                try function([1, 16, 64], offset: nil, seed: .integer(9)).mask))
        let fixed = try function([1, 16, 64], offset: 1, seed: .sequence([1, 2, 3]))
        #expect(fixed.mask.reshape([-1]).equal(fixture.tensor("\(kind)_offset1")))
    }

    @Test("a seeded call leaves the function's own stream where it was (fastMRI's temp_seed)")
    func seededCallKeepsStream() throws {
        var plain = try RandomMaskFunc(centerFractions: [0.08], accelerations: [4], seed: 3)
        var interrupted = try RandomMaskFunc(centerFractions: [0.08], accelerations: [4], seed: 3)
        _ = try interrupted([1, 16, 64], offset: nil, seed: .fileName("x.h5"))
        #expect(
            try plain([1, 16, 64], offset: nil, seed: nil).mask.equal(
                try interrupted([1, 16, 64], offset: nil, seed: nil).mask))
    }

    @Test("the cine mask equals Deep-MRI-Reconstruction's cartesian_mask after np.random.seed")
    func cineMask() throws {
        var random = NumpyRandomState(seed: 11)
        let centred = try CineMask.cartesian(
            shape: [1, 6, 96, 4], acceleration: 6, sampleN: 10, centred: true, random: &random)
        #expect(centred.equal(fixture.tensor("cine_centred")))
        var other = NumpyRandomState(seed: 2024)
        let shifted = try CineMask.cartesian(
            shape: [3, 40, 3], acceleration: 4.5, sampleN: 4, centred: false, random: &other)
        #expect(shifted.equal(fixture.tensor("cine_uncentred")))
        // Each frame has its own pattern.
        #expect(!centred[0, 0].equal(centred[0, 1]))
    }

    @Test("MaskStatistics reports acceleration and the fully sampled centre")
    func statistics() throws {
        let line = Tensor([Float(0), 1, 0, 1, 1, 1, 1, 0, 1, 0], shape: [1, 1, 10])
        let stats = try MaskStatistics(line)
        #expect(stats.acceleration == 10.0 / 6.0)
        #expect(stats.acsLines == 4)
        #expect(stats.calibrationSize == [1, 4])
        var block = [Float](repeating: 0, count: 64)
        for y in 3..<6 { for x in 2..<7 { block[y * 8 + x] = 1 } }
        block[0] = 1
        let plane = try MaskStatistics(Tensor(block, shape: [8, 8]))
        #expect(plane.calibrationSize == [3, 5])
        #expect(plane.acceleration == 64.0 / 16.0)
        #expect(throws: MRIError.self) { try MaskStatistics(Tensor.zeros([4, 4])) }
        #expect(throws: MRIError.self) { try MaskStatistics(Tensor.full([4], 0.5)) }
    }

    @Test(
        "Poisson-disc masks reach the requested acceleration, sample the calibration region and favour the centre",
        arguments: [4.0, 8.0])
    func poissonDisc(acceleration: Double) throws {
        let mask = try VariableDensityMask.poissonDisc(
            shape: [64, 48], acceleration: acceleration, calibration: [12, 10], seed: 4)
        let achieved = Double(64 * 48) / mask.sum().item(Double.self)
        // The tolerance is the function's documented stopping criterion (sigpy's default 0.1).
        #expect(abs(achieved - acceleration) < 0.1)
        #expect(mask[26..<38, 19..<29].min().item(Float.self) == 1)
        let centre = mask[16..<48, 12..<36].mean().item(Double.self)
        let whole = mask.mean().item(Double.self)
        #expect(centre > 1.5 * whole)
        let statistics = try MaskStatistics(mask)
        #expect(statistics.calibrationSize[0] >= 12 && statistics.calibrationSize[1] >= 10)
        let other = try VariableDensityMask.poissonDisc(
            shape: [64, 48], acceleration: acceleration, calibration: [12, 10], seed: 5)
        #expect(!mask.equal(other))
    }

    @Test("Poisson-disc masks sample each radial band as densely as sigpy's", arguments: [4, 8])
    func poissonDensityMatchesSigpy(acceleration: Int) throws {
        let reference = try Fixture("poisson").tensor("band_density_\(acceleration)").toArray(of: Double.self)
        // sigpy's normalised radius for 64×48 with calibration 12×10, restated from sigpy.mri.poisson.
        let band = (0..<(64 * 48)).map { index -> Int in
            let x = Swift.max(abs(Double(index % 48) - 24) - 5, 0) / 19
            let y = Swift.max(abs(Double(index / 48) - 32) - 6, 0) / 26
            let r = (x * x + y * y).squareRoot()
            return r < 1.0 / 3 ? 0 : r < 2.0 / 3 ? 1 : r < 1 ? 2 : 3
        }
        var sampled = [Double](repeating: 0, count: 4)
        var total = [Double](repeating: 0, count: 4)
        for seed in UInt32(0)..<3 {
            let mask = try VariableDensityMask.poissonDisc(
                shape: [64, 48], acceleration: Double(acceleration), calibration: [12, 10], seed: seed)
            for (index, value) in mask.toArray(of: Float.self).enumerated() {
                sampled[band[index]] += Double(value)
                total[band[index]] += 1
            }
        }
        // Different RNGs: sigpy's own seed-to-seed spread of these densities is about ±0.01, so
        // 0.03 allows three times that while still telling the density laws apart.
        for k in 0..<4 {
            #expect(abs(sampled[k] / total[k] - reference[k]) < 0.03, "band \(k)")
        }
    }

    @Test("Gaussian masks acquire exactly round(N / acceleration) points including the calibration region")
    func gaussian() throws {
        let mask = try VariableDensityMask.gaussian(
            shape: [40, 50], acceleration: 5, calibration: [8, 6], std: 0.2, seed: 1)
        #expect(mask.sum().item(Double.self) == 400)
        #expect(mask[16..<24, 22..<28].min().item(Float.self) == 1)
        #expect(mask[10..<30, 12..<38].mean().item(Double.self) > 2 * mask.mean().item(Double.self))
    }

    @Test("bad mask parameters throw MRIError")
    func badInput() {
        #expect(throws: MRIError.self) { try RandomMaskFunc(centerFractions: [0.08, 0.04], accelerations: [4]) }
        #expect(throws: MRIError.self) {
            var function = try EquiSpacedMaskFunc(centerFractions: [0.08], accelerations: [4])
            return try function([0], offset: nil, seed: nil)
        }
        #expect(throws: MRIError.self) { try NumpyRandomState(key: []) }
        #expect(throws: MRIError.self) {
            try VariableDensityMask.poissonDisc(shape: [32, 32], acceleration: 8, calibration: [16, 16])
        }
        #expect(throws: MRIError.self) {
            var random = NumpyRandomState(seed: 0)
            return try CineMask.cartesian(shape: [2, 32, 4], acceleration: 8, sampleN: 10, random: &random)
        }
    }
}
