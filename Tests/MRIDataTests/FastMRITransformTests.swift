import Testing
import TorchTestSupport

@testable import MRIData

@Suite struct FastMRITransformTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture("fastmri_transforms") }

    func slice(_ kspace: String, mask: Tensor? = nil) -> KSpaceSlice {
        KSpaceSlice(
            kspace: fixture.tensor(kspace), mask: mask, target: fixture.tensor("target"), maxValue: 2.5, paddingLeft: 3,
            paddingRight: 17, reconSize: [10, 10], fileName: "file1000123.h5", sliceNumber: 7)
    }

    @Test(arguments: ["random", "equispaced"])
    func varNetTransformMatchesFastMRI(maskName: String) throws {
        let function: any MaskFunction =
            maskName == "random"
            ? try RandomMaskFunc(centerFractions: [0.1], accelerations: [2])
            : try EquispacedMaskFractionFunc(centerFractions: [0.1], accelerations: [2])
        let transform = VarNetDataTransform(undersampling: Undersampling(function))
        let sample = try transform(slice("multicoil_kspace"), generator: Generator(seed: 0))
        // Masking multiplies by exact zeros and ones: the k-space must be identical.
        #expect(maxAbsDifference(sample.maskedKSpace, fixture.tensor("varnet_\(maskName)_kspace")) == 0)
        #expect(sample.mask.toArray(of: Bool.self) == fixture.tensor("varnet_\(maskName)_mask").toArray(of: Bool.self))
        #expect(sample.mask.shape == [1, 1, 20])
        #expect(Double(sample.numLowFrequencies) == fixture.scalar("varnet_\(maskName)_low"))
        #expect(sample.maxValue == 2.5 && sample.cropSize == [10, 10] && sample.sliceNumber == 7)
    }

    @Test func varNetTransformUsesTheFileMaskWithoutAMaskFunction() throws {
        let sample = try VarNetDataTransform()(
            slice("multicoil_kspace", mask: fixture.tensor("file_mask")), generator: Generator(seed: 0))
        #expect(sample.mask.toArray(of: Bool.self) == fixture.tensor("varnet_file_mask").toArray(of: Bool.self))
        #expect(sample.numLowFrequencies == 0)
        #expect(maxAbsDifference(sample.maskedKSpace, fixture.tensor("multicoil_kspace")) == 0)
    }

    @Test func badPaddingAttributesNameTheFile() throws {
        var bad = slice("multicoil_kspace")
        bad.paddingRight = 30
        let transform = VarNetDataTransform(undersampling: Undersampling(try RandomMaskFunc(centerFractions: [0.1], accelerations: [2])))
        #expect(throws: DataError.self) { try transform(bad, generator: Generator(seed: 0)) }
    }

    @Test(arguments: [UnetDataTransform.Challenge.multicoil, .singlecoil])
    func unetTransformMatchesFastMRI(challenge: UnetDataTransform.Challenge) throws {
        let kspace = challenge == .multicoil ? "multicoil_kspace" : "singlecoil_kspace"
        let transform = UnetDataTransform(
            challenge: challenge, undersampling: Undersampling(try RandomMaskFunc(centerFractions: [0.1], accelerations: [2])))
        let sample = try transform(slice(kspace), generator: Generator(seed: 0))
        // float32 FFTs of a 16 × 20 image, divided by a std of order 0.1-1: a few ulps of the
        // normalised values, which lie within ±6.
        let name = "unet_\(challenge.rawValue)"
        expectClose(sample.image, fixture.tensor("\(name)_image"), tolerance: 1e-5)
        expectClose(sample.target, fixture.tensor("\(name)_target"), tolerance: 1e-5)
        expectClose(sample.mean, fixture.tensor("\(name)_mean"), tolerance: 1e-6)
        expectClose(sample.std, fixture.tensor("\(name)_std"), tolerance: 1e-6)
    }

    @Test func unetTransformCropsNarrowImagesToASquareAsFastMRI() throws {
        var short = slice("multicoil_kspace")
        short.kspace = short.kspace[TensorIndex.ellipsis, 0..<8]
        short.target = nil
        let transform = UnetDataTransform(
            challenge: .multicoil, undersampling: Undersampling(try RandomMaskFunc(centerFractions: [0.1], accelerations: [2])))
        let sample = try transform(short, generator: Generator(seed: 0))
        #expect(sample.image.shape == [8, 8])
        // As the multi-coil case above.
        expectClose(sample.image, fixture.tensor("unet_short_image"), tolerance: 1e-5)
    }

    @Test func generatorSeedingDrawsReproducibleMasksPerDraw() throws {
        let undersampling = Undersampling(try RandomMaskFunc(centerFractions: [0.1], accelerations: [2]), seeding: .generator)
        let kspace = fixture.tensor("multicoil_kspace")
        func mask(_ seed: UInt64) throws -> [Float] {
            try undersampling(kspace, fileName: "a.h5", generator: Generator(seed: seed)).mask.toArray(of: Float.self)
        }
        #expect(try mask(1) == mask(1))
        #expect(try (2..<6).contains { try mask($0) != mask(1) })
    }

    @Test func varNetSamplesCollateAndLoad() throws {
        let transform = VarNetDataTransform(undersampling: Undersampling(try RandomMaskFunc(centerFractions: [0.1], accelerations: [2])))
        let slices = ArrayDataset([slice("multicoil_kspace"), slice("multicoil_kspace")])
        let dataset = slices.map { try transform($0, generator: $1) }
        let epoch = DataLoader(dataset, batchSize: 2, workers: 1).makeEpoch(0)
        let batch = try #require(try epoch.next())
        #expect(batch.maskedKSpace.shape == [2, 2, 16, 20])
        #expect(batch.mask.shape == [2, 1, 1, 20])
        #expect(batch.target.shape == [2, 10, 10])
        #expect(batch.maxValue.toArray(of: Double.self) == [2.5, 2.5])
    }
}
