import Foundation
import Testing
import TorchTestSupport

@testable import MRIData

@Suite struct TransformTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture("transforms") }

    var image: Tensor { fixture.tensor("image") }

    // MONAI computes in float32 too; statistics over ~200 values differ in the last bits.
    let tolerance = 1e-5

    @Test func intensityNormalisationsMatchMONAI() {
        expectClose(Intensity.normalize(image), fixture.tensor("normalize"), tolerance: tolerance)
        expectClose(Intensity.normalize(image, nonzero: true), fixture.tensor("normalize_nonzero"), tolerance: tolerance)
        expectClose(Intensity.normalize(image, channelWise: true), fixture.tensor("normalize_channel_wise"), tolerance: tolerance)
        expectClose(Intensity.scale(image, minimum: -1, maximum: 2), fixture.tensor("scale"), tolerance: tolerance)
        expectClose(Intensity.scale(image, channelWise: true), fixture.tensor("scale_channel_wise"), tolerance: tolerance)
    }

    @Test func percentileClippingMatchesMONAI() {
        expectClose(Intensity.clipPercentiles(image, lower: 5, upper: 95), fixture.tensor("clip_percentiles"), tolerance: tolerance)
        expectClose(
            Intensity.scalePercentiles(image, lower: 2, upper: 98, bMin: 0, bMax: 1, clip: true),
            fixture.tensor("scale_percentiles"), tolerance: tolerance)
    }

    @Test func gammaMatchesMONAIsAdjustContrast() {
        expectClose(RandomGamma.adjust(image, gamma: 1.7), fixture.tensor("gamma"), tolerance: tolerance)
    }

    @Test func padOrCropMatchesMONAI() {
        #expect(maxAbsDifference(SpatialSize.padOrCrop(image, to: [12, 6]), fixture.tensor("pad_or_crop")) == 0)
        #expect(maxAbsDifference(SpatialSize.padOrCrop(fixture.tensor("volume"), to: [8, 3, 7]), fixture.tensor("pad_or_crop_volume")) == 0)
    }

    @Test func blurMatchesSciPy() {
        // float32 convolution against SciPy's float64 filter of the same data.
        expectClose(GaussianBlur.blur(image, sigma: [1.2, 0.8]), fixture.tensor("blur").to(dtype: .float32), tolerance: 1e-5)
    }

    @Test func cropCentresAreCorrectedAsMONAIDoes() {
        let centres = fixture.tensor("centres").toArray(of: Int.self)
        let expected = fixture.tensor("corrected_centres").toArray(of: Int.self)
        for row in 0..<5 {
            let centre = Array(centres[(2 * row)..<(2 * row + 2)])
            #expect(correctedCentre(centre, size: [4, 5], shape: [10, 7]) == Array(expected[(2 * row)..<(2 * row + 2)]))
        }
    }

    @Test func kSpaceArtefactsFollowTorchIO() {
        let positions = fixture.tensor("spike_positions").toArray(of: Double.self)
        // Unnormalised FFTs of 99 values in float32: the spikes are ~1.5 × the DC term.
        expectClose(
            KSpaceArtefact.spike(image, positions: [Array(positions[0..<2]), Array(positions[2..<4])], intensity: 1.5),
            fixture.tensor("spike"), tolerance: 1e-4)
        expectClose(KSpaceArtefact.ghosting(image, ghosts: 3, axis: 1, intensity: 0.7), fixture.tensor("ghosting"), tolerance: 1e-5)
        expectClose(
            KSpaceArtefact.ghosting(image, ghosts: 4, axis: 0, intensity: 0.9, restore: 0.3),
            fixture.tensor("ghosting_restore"), tolerance: 1e-5)
    }

    @Test func motionFillsKSpaceSegmentsFromEachPose() {
        let pose = RigidPose(angles: [0.2], shift: [1.5, -2])
        let result = KSpaceArtefact.motion(image, poses: [pose], times: [0.5], axis: 1)
        // No time after 0.5: the moved spectrum fills the first segment, the unmoved one the rest.
        let moved = KSpaceArtefact.spectrum(pose.moved(image))
        let expected = KSpaceArtefact.spectrum(image)
        expected[TensorIndex.all, TensorIndex.all, 0..<5] = moved[TensorIndex.all, TensorIndex.all, 0..<5]
        // Unnormalised float32 FFTs of 99 values of size ≤ 5.
        expectClose(result, KSpaceArtefact.image(fromSpectrum: expected), tolerance: 1e-4)
        let still = KSpaceArtefact.motion(image, poses: [RigidPose(angles: [0], shift: [0, 0])], times: [0.4], axis: 0)
        expectClose(still, image, tolerance: 1e-4)
    }

    @Test func posOnlyCropsAlwaysHoldForeground() {
        let label = Tensor.zeros([1, 20, 16], dtype: .int64)
        label[0, 3..<5, 12..<14] = Tensor(scalar: Int64(1))
        let sampler = PosNegLabelCropSampler(spatialSize: [6, 6], pos: 1, neg: 0, numSamples: 8)
        let crops = sampler([label], label: label, generator: Generator(seed: 4))
        #expect(crops.count == 8)
        for crop in crops {
            #expect(crop[0].shape == [1, 6, 6])
            #expect(crop[0].sum().item(Int.self) > 0)
        }
        let negative = PosNegLabelCropSampler(spatialSize: [6, 6], pos: 0, neg: 1, numSamples: 8)
        for centre in negative.centres(label: label, generator: Generator(seed: 4)) {
            #expect(centre.allSatisfy { $0 >= 3 } && centre[0] <= 17 && centre[1] <= 13)
        }
    }

    @Test func classCropsAreCentredOnTheChosenClasses() {
        let label = Tensor.zeros([1, 20, 16], dtype: .int64)
        label[0, 3..<5, 12..<14] = Tensor(scalar: Int64(2))
        label[0, 15..<18, 2..<4] = Tensor(scalar: Int64(1))
        // Class 3 is absent and never chosen; class 0 has weight 0.
        let sampler = LabelClassCropSampler(spatialSize: [5, 5], ratios: [0, 1, 1, 5], numSamples: 12)
        var seen = Set<Int64>()
        for crop in sampler([label], label: label, generator: Generator(seed: 8)) {
            #expect(crop[0].shape == [1, 5, 5])
            let classes = Set(crop[0].flatten().toArray(of: Int64.self))
            #expect(!classes.isDisjoint(with: [1, 2]))
            seen.formUnion(classes)
        }
        #expect(seen.isSuperset(of: [1, 2]))
        // Neg-only crops of an all-foreground map fall back to foreground, as MONAI's.
        let full = Tensor.ones([1, 6, 6], dtype: .int64)
        #expect(PosNegLabelCropSampler(spatialSize: [2, 2], pos: 0, neg: 1).centres(label: full, generator: Generator(seed: 1)).count == 1)
    }

    @Test func affineQuarterTurnEqualsRot90() {
        let square = Tensor.rand([1, 8, 8], generator: Generator(seed: 1))
        let turn = RandomAffine(rotation: (-Double.pi / 2)...(-Double.pi / 2))
        let rotated = turn(square, generator: Generator(seed: 0))
        // cos(π/2) is 6e-17, not 0: bilinear weights of order 1e-16.
        expectClose(rotated, ATen.rot90(.tensor(square), .int(1), .ints([1, 2])), tolerance: 1e-6)
        // Labels are resampled by the nearest neighbour and keep their dtype.
        let labels = (square .> 0.5).to(dtype: .int64)
        let turned = turn([square, labels], generator: Generator(seed: 0))[1]
        #expect(turned.dtype == .int64)
        #expect(maxAbsDifference(turned, ATen.rot90(.tensor(labels), .int(1), .ints([1, 2]))) == 0)
    }

    @Test func identityAffineAndZeroElasticLeaveTheImage() {
        // The float32 grid lands on the voxel centres within ~1e-7 of a voxel; values are O(1–5).
        let volume = fixture.tensor("volume")
        expectClose(RandomAffine()(volume, generator: Generator(seed: 0)), volume, tolerance: 1e-5)
        expectClose(
            RandomElasticDeformation(maxDisplacement: 0)(image, generator: Generator(seed: 0)), image, tolerance: 1e-5)
    }

    @Test func randomTransformsAreReproducibleFromTheSeed() {
        let pipeline = Compose([
            RandomFlip(), RandomRotate90(), RandomAffine(rotation: -0.3...0.3, scale: 0.9...1.1, translation: -0.1...0.1),
            RandomElasticDeformation(controlPoints: 4, maxDisplacement: 0.05), RandomGaussianNoise(std: 0.1),
            RandomGamma(gamma: 0.7...1.5), RandomBiasField(), GaussianBlur(sigma: 0.5...1.0), RandomSpike(),
            RandomGhosting(), RandomMotion(), RandomSpatialCrop(size: [6, 8]),
        ])
        let first = pipeline(image, generator: Generator(seed: 21))
        #expect(first.shape == [2, 6, 8])
        #expect(maxAbsDifference(pipeline(image, generator: Generator(seed: 21)), first) == 0)
        #expect(maxAbsDifference(pipeline(image, generator: Generator(seed: 22)), first) > 0)
    }

    @Test func flipsAndQuarterTurnsMoveImageAndLabelTogether() {
        let label = (image .> 1).to(dtype: .int64)
        for seed in 0..<6 {
            let generator = Generator(seed: UInt64(seed))
            let out = Compose([RandomFlip(), RandomRotate90()])([image, label], generator: generator)
            #expect(maxAbsDifference((out[0] .> 1).to(dtype: .int64), out[1]) == 0)
        }
    }

    @Test func cutMixPastesTheSameBoxIntoImagesAndLabels() {
        let images = Tensor.rand([4, 1, 10, 12], generator: Generator(seed: 2))
        let labels = (images .> 0.5).to(dtype: .int64)
        let result = CutMix(alpha: 1)(images: images, labels: labels, generator: Generator(seed: 5))
        // Labels still threshold their (mixed) images, and the kept fraction is λ.
        #expect(maxAbsDifference((result.images .> 0.5).to(dtype: .int64), result.labels!) == 0)
        let kept = (result.images .== images).to(dtype: .float64).mean().item(Double.self)
        let selfPartners = result.partner.enumerated().filter { $0.offset == $0.element }.count
        let expected = (Double(4 - selfPartners) * result.lambda + Double(selfPartners)) / 4
        #expect(abs(kept - expected) < 1e-12)
        #expect(result.lambda < 1)
    }
}
