import Foundation
import Testing
import TorchTestSupport

@testable import MRIData

@Suite("CineDataset")
struct CineDatasetTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture("datasets") }

    @Test("a sample is the sequence undersampled with np.random.seed(index)'s cartesian masks")
    func undersampledSample() throws {
        let dataset = try CineDataset(path: DatasetFixtures.path("cine.npz"), acceleration: 2, sampleN: 4)
        #expect(dataset.count == 7)
        let sample = try dataset.sample(at: 3)
        expectClose(sample.target, fixture.tensor("cine_target"), tolerance: 0)
        expectClose(sample.mask, fixture.tensor("cine_mask"), tolerance: 0)
        // float32 FFTs of 64 points by pocketfft in both: rounding stays near 1e-6 for unit values.
        expectClose(sample.kspace, fixture.tensor("cine_kspace"), tolerance: 1e-5)
        expectClose(sample.image, fixture.tensor("cine_image"), tolerance: 1e-5)
    }

    @Test("masks drawn from the loader's generator are reproducible and differ between draws")
    func generatorMasks() throws {
        let dataset = try CineDataset(path: DatasetFixtures.path("cine.npz"), acceleration: 2, sampleN: 4)
        let first = try dataset.sample(at: 0, generator: Generator(seed: 9))
        let again = try dataset.sample(at: 0, generator: Generator(seed: 9))
        let other = try dataset.sample(at: 0, generator: Generator(seed: 10))
        #expect(maxAbsDifference(first.mask, again.mask) == 0)
        #expect(maxAbsDifference(first.mask, other.mask) > 0)
    }

    @Test("the 4:1:2 split matches torch.randperm's dealing, one sequence per group")
    func split() throws {
        let dataset = try CineDataset(path: DatasetFixtures.path("cine.npz"))
        let parts = try dataset.split(ratios: [4, 1, 2], seed: 5)
        #expect(parts.map(\.count) == [4, 1, 2])
        #expect(DatasetFixtures.membership(parts) == fixture.tensor("cine_split").toArray(of: Float.self))
    }

    @Test("batches stack the fields along a new first dimension")
    func collate() throws {
        let dataset = try CineDataset(path: DatasetFixtures.path("cine.npz"), acceleration: 2, sampleN: 4)
        let batch = try CineSample.collate([try dataset.sample(at: 0), try dataset.sample(at: 1)])
        #expect(batch.image.shape == [2, 2, 16, 4])
        #expect(batch.mask.shape == [2, 2, 16, 4])
    }

    @Test("a missing array, a 3-D array and masks the frames cannot take name the file and field")
    func malformed() throws {
        let missing = DatasetFixtures.path("cine_no_dataset.npz")
        expectDataError(file: missing, field: "dataset", reason: "no such array") {
            _ = try CineDataset(path: missing)
        }
        let flat = DatasetFixtures.path("cine_3d.npz")
        expectDataError(file: flat, field: "dataset", reason: "not [nsamples, nt, nx, ny]") {
            _ = try CineDataset(path: flat)
        }
        // 16 lines at 6× give 2 lines, fewer than 10 centre lines: the mask fails per sample.
        let path = DatasetFixtures.path("cine.npz")
        let dataset = try CineDataset(path: path, acceleration: 6, sampleN: 10)
        expectDataError(file: path, field: "mask", reason: "exceed") { _ = try dataset.sample(at: 0) }
    }
}
