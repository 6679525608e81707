import Foundation
import Testing
import TorchTestSupport

@testable import MRIData

@Suite("NNUNetDataset")
struct NNUNetDatasetTests {
    @Test("dataset.json is read: channels in order, labels, case count and file ending")
    func description() throws {
        let dataset = try NNUNetDataset(root: DatasetFixtures.path("Dataset005_Prostate"))
        #expect(dataset.metadata.channelNames == ["T2", "ADC"])
        #expect(dataset.metadata.labels == ["background": 0, "PZ": 1, "TZ": 2])
        #expect(dataset.metadata.fileEnding == ".nii.gz")
        #expect(dataset.groupKeys == ["prostate_00", "prostate_01"])
    }

    @Test("a sample stacks the _000C channels and adds a channel to the label map")
    func sample() throws {
        let fixture = try Fixture("datasets")
        let dataset = try NNUNetDataset(root: DatasetFixtures.path("Dataset005_Prostate"))
        let sample = try dataset.sample(at: 1)
        // NIfTI stores float32 voxels: read back exactly.
        expectClose(sample.image, fixture.tensor("nnunet_image"), tolerance: 0)
        #expect(sample.label.dtype == .int64)
        expectClose(sample.label.to(dtype: .float32), fixture.tensor("nnunet_label"), tolerance: 0)
    }

    @Test("bad dataset.json fields, a wrong case count and mismatched label shapes name file and field")
    func malformed() throws {
        let cases = [
            ("nnunet_bad_labels", "labels.PZ", "not an integer"), ("nnunet_bad_channels", "channel_names", "must map"),
            ("nnunet_bad_count", "numTraining", "imagesTr holds 2 cases"),
        ]
        for (folder, field, reason) in cases {
            let root = DatasetFixtures.path(folder)
            expectDataError(file: "\(root)/dataset.json", field: field, reason: reason) {
                _ = try NNUNetDataset(root: root)
            }
        }
        let root = DatasetFixtures.path("nnunet_bad_shape")
        let dataset = try NNUNetDataset(root: root)
        expectDataError(file: "\(root)/labelsTr/prostate_00.nii.gz", field: "dim", reason: "the image has") {
            _ = try dataset.sample(at: 0)
        }
    }
}
