import Foundation
import Testing
import TorchTestSupport

@testable import MRIData

@Suite("BraTSDataset")
struct BraTSDatasetTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture("datasets") }

    @Test("a case is MONAI's nonzero channel-wise z-score of the modalities and its BraTS regions")
    func preprocessedCase() throws {
        let dataset = try BraTSDataset(root: DatasetFixtures.path("brats"))
        #expect(dataset.groupKeys == ["BraTS19_2013_0_1", "BraTS19_2013_1_1", "BraTS19_CBICA_AAB_1"])
        let sample = try dataset.sample(at: 1)
        // float32 mean and std over ~100 voxels, in a different summation order than MONAI's.
        expectClose(sample.image, fixture.tensor("brats_image"), tolerance: 1e-5)
        expectClose(sample.label, fixture.tensor("brats_label"), tolerance: 0)
    }

    @Test("random crops cut the image and the regions at one position, reproducibly")
    func crops() throws {
        let dataset = try BraTSDataset(root: DatasetFixtures.path("brats"), cropSize: [4, 3, 2])
        let whole = try BraTSDataset(root: DatasetFixtures.path("brats")).sample(at: 1)
        let crop = try dataset.sample(at: 1, generator: Generator(seed: 4))
        #expect(crop.image.shape == [4, 4, 3, 2])
        #expect(crop.label.shape == [3, 4, 3, 2])
        let again = try dataset.sample(at: 1, generator: Generator(seed: 4))
        #expect(maxAbsDifference(crop.image, again.image) == 0)
        // The crop's position, found from the image, must also hold for the regions.
        func window(_ tensor: Tensor, at p: [Int]) -> Tensor {
            tensor[.all, p[0]..<(p[0] + 4), p[1]..<(p[1] + 3), p[2]..<(p[2] + 2)]
        }
        let positions = (0...2).flatMap { x in (0...2).flatMap { y in (0...2).map { z in [x, y, z] } } }
        let position = try #require(positions.first { maxAbsDifference(window(whole.image, at: $0), crop.image) == 0 })
        #expect(maxAbsDifference(window(whole.label, at: position), crop.label) == 0)
    }

    @Test("the HDF5 cache holds the preprocessed cases and reads back the same samples")
    func cache() throws {
        let folder = try TemporaryDirectory()
        let dataset = try BraTSDataset(root: DatasetFixtures.path("brats"))
        try dataset.writeCache(to: folder.path("brats.h5"), compressionLevel: 1)
        let cache = try BraTSCacheDataset(path: folder.path("brats.h5"))
        #expect(cache.groupKeys == dataset.groupKeys)
        for index in 0..<dataset.count {
            let (original, cached) = (try dataset.sample(at: index), try cache.sample(at: index))
            #expect(maxAbsDifference(original.image, cached.image) == 0)
            #expect(maxAbsDifference(original.label, cached.label) == 0)
        }
    }

    @Test("a case-level split matches torch.randperm's dealing")
    func split() throws {
        let dataset = try BraTSDataset(root: DatasetFixtures.path("brats"))
        let parts = try dataset.split(ratios: [2, 1], seed: 7)
        #expect(DatasetFixtures.membership(parts) == fixture.tensor("brats_split").toArray(of: Float.self))
    }

    @Test("a missing modality, mismatched shapes, unknown labels and too large crops name file and field")
    func malformed() throws {
        let missing = DatasetFixtures.path("brats_missing_modality")
        let missingFile = "\(missing)/BraTS19_2013_2_1/BraTS19_2013_2_1_t2.nii.gz"
        expectDataError(file: missingFile, field: "t2", reason: "is missing") {
            _ = try BraTSDataset(root: missing)
        }
        let badShape = DatasetFixtures.path("brats_bad_shape")
        let badShapeFile = "\(badShape)/BraTS19_2013_3_1/BraTS19_2013_3_1_t1.nii.gz"
        expectDataError(file: badShapeFile, field: "dim", reason: "segmentation has") {
            _ = try BraTSDataset(root: badShape).sample(at: 0)
        }
        let badLabels = DatasetFixtures.path("brats_bad_labels")
        let badLabelsFile = "\(badLabels)/BraTS19_2013_4_1/BraTS19_2013_4_1_seg.nii.gz"
        expectDataError(file: badLabelsFile, field: "labels", reason: "other than") {
            _ = try BraTSDataset(root: badLabels).sample(at: 0)
        }
        let brats = DatasetFixtures.path("brats")
        let bratsFile = "\(brats)/BraTS19_2013_0_1/BraTS19_2013_0_1_seg.nii.gz"
        expectDataError(file: bratsFile, field: "dim", reason: "cannot be cropped") {
            _ = try BraTSDataset(root: brats, cropSize: [8, 8, 8]).sample(at: 0)
        }
    }
}
