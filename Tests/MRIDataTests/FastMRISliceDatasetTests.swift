import Foundation
import Testing
import TorchTestSupport

@testable import MRIData

@Suite("FastMRISliceDataset")
struct FastMRISliceDatasetTests {
    static func folder(_ name: String) -> String { FastMRIFixtures.path(name) }

    @Test("multi-coil training slices come in file then slice order with targets and max values")
    func multiCoilTrain() throws {
        let dataset = try FastMRISliceDataset(root: Self.folder("multicoil_train"), challenge: .multiCoil)
        #expect(dataset.count == 5)
        #expect(dataset.slices.map(\.slice) == [0, 1, 0, 1, 2])
        let fixture = try Fixture("fastmri_files")
        let metadata = try FastMRIFixtures.expectedMetadata()
        for index in 0..<dataset.count {
            let sample = try dataset.sample(at: index)
            let key = "multicoil_train/\(sample.fileName)"
            #expect(sample.fileName == (index < 2 ? "file1000001.h5" : "file1000002.h5"))
            #expect(sample.sliceIndex == dataset.slices[index].slice)
            // Slices are read as stored, so the match is exact.
            expectClose(sample.kspace, fixture.tensor("\(key)/kspace/\(sample.sliceIndex)"), tolerance: 0)
            expectClose(
                try #require(sample.target), fixture.tensor("\(key)/target/\(sample.sliceIndex)"), tolerance: 0)
            #expect(sample.mask == nil)
            #expect(sample.maxValue == metadata[key]?.max)
            #expect(sample.cropSize == [8, 8])
            #expect(sample.maskSeed == .fileName(sample.fileName))
        }
    }

    @Test("single-coil slices have the esc target")
    func singleCoil() throws {
        let dataset = try FastMRISliceDataset(root: Self.folder("singlecoil_val"), challenge: .singleCoil)
        let fixture = try Fixture("fastmri_files")
        let sample = try dataset.sample(at: 1)
        #expect(sample.kspace.shape == [16, 12])
        expectClose(try #require(sample.target), fixture.tensor("singlecoil_val/file1000003.h5/target/1"), tolerance: 0)
    }

    @Test("test slices have the mask, no target and a max value of 0")
    func testSplit() throws {
        let dataset = try FastMRISliceDataset(root: Self.folder("multicoil_test"), challenge: .multiCoil)
        let fixture = try Fixture("fastmri_files")
        let sample = try dataset.sample(at: 0)
        #expect(sample.target == nil)
        #expect(sample.maxValue == 0)
        #expect(sample.attributes.acceleration == 4)
        expectClose(try #require(sample.mask), fixture.tensor("multicoil_test/file1000004.h5/mask"), tolerance: 0)
    }

    @Test("a folder of the other challenge's files names the file and k-space")
    func wrongChallenge() {
        let folder = Self.folder("multicoil_train")
        expectDataError(file: "\(folder)/file1000001.h5", field: "kspace", reason: "not singlecoil k-space") {
            _ = try FastMRISliceDataset(root: folder, challenge: .singleCoil)
        }
    }

    @Test("a bad file in the folder is named when the dataset is made")
    func badFolder() {
        let folder = Self.folder("malformed")
        expectDataError(file: "\(folder)/header_without_limits.h5", field: "ismrmrd_header", reason: "has no") {
            _ = try FastMRISliceDataset(root: folder, challenge: .multiCoil)
        }
    }

    @Test("slice sampling keeps round(count × rate) distinct slices, the same for a seed")
    func sliceSampling() throws {
        let root = Self.folder("multicoil_train")
        let all = try FastMRISliceDataset(root: root, challenge: .multiCoil)
        let half = try FastMRISliceDataset(root: root, challenge: .multiCoil, sampleRate: 0.5, seed: 3)
        let again = try FastMRISliceDataset(root: root, challenge: .multiCoil, sampleRate: 0.5, seed: 3)
        // Python's round(5 × 0.5) is 2 (half to even).
        #expect(half.count == 2)
        #expect(half.slices == again.slices)
        #expect(Set(half.slices.map { "\($0.path)#\($0.slice)" }).count == 2)
        #expect(half.slices.allSatisfy { all.slices.contains($0) })
    }

    @Test("volume sampling keeps whole volumes")
    func volumeSampling() throws {
        let root = Self.folder("multicoil_train")
        for seed in UInt64(0)..<4 {
            let dataset = try FastMRISliceDataset(root: root, challenge: .multiCoil, volumeSampleRate: 0.5, seed: seed)
            let paths = Set(dataset.slices.map(\.path))
            #expect(paths.count == 1)
            let slices = try #require(dataset.slices.first?.metadata.sliceCount)
            #expect(dataset.slices.map(\.slice) == Array(0..<slices))
        }
    }

    @Test("a filter keeps the slices it accepts")
    func filter() throws {
        let dataset = try FastMRISliceDataset(
            root: Self.folder("multicoil_train"), challenge: .multiCoil, filter: { $0.metadata.sliceCount == 3 })
        #expect(dataset.count == 3)
    }
}
