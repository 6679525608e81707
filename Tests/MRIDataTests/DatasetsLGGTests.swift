import Foundation
import Testing
import TorchTestSupport

@testable import MRIData

@Suite("LGGSegmentationDataset")
struct LGGSegmentationDatasetTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture("datasets") }

    @Test("slices are ordered by patient, then numerically by slice number")
    func order() throws {
        let dataset = try LGGSegmentationDataset(root: DatasetFixtures.path("kaggle_3m"))
        #expect(dataset.count == 7)
        #expect(dataset.slices.map(\.number) == [1, 2, 10, 1, 2, 1, 2])
        #expect(Set(dataset.groupKeys).count == 3)
    }

    @Test("a sample is the seed's min-max scaled RGB image and its mask over 255")
    func sample() throws {
        let dataset = try LGGSegmentationDataset(root: DatasetFixtures.path("kaggle_3m"))
        let sample = try dataset.sample(at: 2)
        // float32 arithmetic in both on values below 1: a few ulps.
        expectClose(sample.image, fixture.tensor("lgg_image"), tolerance: 1e-6)
        expectClose(sample.mask, fixture.tensor("lgg_mask"), tolerance: 0)
    }

    @Test("lesion weights follow the seed's calc_slice_weights ")
    func weights() throws {
        let dataset = try LGGSegmentationDataset(root: DatasetFixtures.path("kaggle_3m"))
        let weights = try dataset.lesionWeights()
        let expected = fixture.tensor("lgg_weights").toArray(of: Double.self)
        #expect(zip(weights, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(weights) vs \(expected)")
        // A split's weights are renormalised over its own slices.
        #expect(abs(try dataset.lesionWeights(indices: [2, 0]).reduce(0, +) - 1) < 1e-12)
    }

    @Test("a patient-level split keeps each patient's slices in one part")
    func split() throws {
        let dataset = try LGGSegmentationDataset(root: DatasetFixtures.path("kaggle_3m"))
        let parts = try dataset.split(counts: [2, 1], seed: 3)
        #expect(DatasetFixtures.membership(parts) == fixture.tensor("lgg_split").toArray(of: Float.self))
    }

    @Test("a missing mask fails the listing; a mask of another size fails its sample")
    func malformed() throws {
        let missing = DatasetFixtures.path("kaggle_3m_missing_mask/TCGA_CS_4941_19960909/TCGA_CS_4941_19960909_1.tif")
        expectDataError(file: missing, field: "mask", reason: "has no mask") {
            _ = try LGGSegmentationDataset(root: DatasetFixtures.path("kaggle_3m_missing_mask"))
        }
        let dataset = try LGGSegmentationDataset(root: DatasetFixtures.path("kaggle_3m_bad_mask"))
        let mask = DatasetFixtures.path("kaggle_3m_bad_mask/TCGA_CS_4941_19960909/TCGA_CS_4941_19960909_1_mask.tif")
        expectDataError(file: mask, field: "ImageWidth", reason: "but its image is") { _ = try dataset.sample(at: 0) }
    }

    @Test("a loader skipping bad samples leaves out the slice whose mask is bad and keeps the other")
    func skipBadSamples() throws {
        let dataset = try LGGSegmentationDataset(root: DatasetFixtures.path("kaggle_3m_bad_mask"))
        let epoch = DataLoader(dataset, batchSize: 2, skipBadSamples: true).makeEpoch(0)
        let batch = try #require(try epoch.next())
        #expect(batch.image.shape == [1, 3, 8, 8])
        #expect(try epoch.next() == nil)
        #expect(epoch.statistics.skippedSamples == 1)
    }
}
