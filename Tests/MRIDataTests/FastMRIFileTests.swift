import Foundation
import Testing
import TorchTestSupport

@testable import MRIData

/// The fixtures of make_fastmri_file_fixtures.py.
enum FastMRIFixtures {
    static let root = Fixture.directory.appendingPathComponent("fastmri")
    /// The well-formed files, as `<split folder>/<file name>`.
    static let files = [
        "multicoil_train/file1000001.h5", "multicoil_train/file1000002.h5", "singlecoil_val/file1000003.h5",
        "multicoil_test/file1000004.h5",
    ]

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// fastMRI's `SliceDataset` metadata and the attributes of one file.
    struct Expected: Decodable {
        let encodingSize: [Int]
        let reconSize: [Int]
        let paddingLeft: Int
        let paddingRight: Int
        let slices: Int
        let acquisition: String?
        let patientId: String?
        let max: Double?
        let norm: Double?
        let acceleration: Int?
        let numLowFrequency: Int?
    }

    /// The expected metadata per file. (JSONDecoder, not JSONSerialization, which rounds the
    /// last digit of some doubles on Linux.)
    static func expectedMetadata() throws -> [String: Expected] {
        let url = Fixture.directory.appendingPathComponent("fastmri_files_metadata.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode([String: Expected].self, from: Data(contentsOf: url))
    }
}

@Suite("FastMRIFile")
struct FastMRIFileTests {
    @Test("metadata equals fastMRI's SliceDataset metadata and the attributes", arguments: FastMRIFixtures.files)
    func metadata(_ name: String) throws {
        let expected = try #require(try FastMRIFixtures.expectedMetadata()[name])
        let metadata = try FastMRIFile(reading: FastMRIFixtures.path(name)).metadata
        #expect(metadata.header.encodingSize == expected.encodingSize)
        #expect(metadata.header.reconSize == expected.reconSize)
        #expect(metadata.header.paddingLeft == expected.paddingLeft)
        #expect(metadata.header.paddingRight == expected.paddingRight)
        #expect(metadata.sliceCount == expected.slices)
        #expect(metadata.isMultiCoil == name.hasPrefix("multicoil"))
        let attributes = metadata.attributes
        #expect(attributes.acquisition == expected.acquisition)
        #expect(attributes.patientID == expected.patientId)
        // h5py stored these float64 values and JSON wrote them exactly.
        #expect(attributes.max == expected.max)
        #expect(attributes.norm == expected.norm)
        #expect(attributes.acceleration == expected.acceleration)
        #expect(attributes.numLowFrequency == expected.numLowFrequency)
        let isTest = name.hasPrefix("multicoil_test")
        #expect(metadata.hasMask == isTest)
        let targets: Set<FastMRIReconstruction> =
            isTest ? [] : name.hasPrefix("singlecoil") ? [.esc, .rss] : [.rss]
        #expect(metadata.reconstructions == targets)
    }

    @Test("k-space, targets and masks equal what fastMRI's SliceDataset reads", arguments: FastMRIFixtures.files)
    func slices(_ name: String) throws {
        let fixture = try Fixture("fastmri_files")
        let file = try FastMRIFile(reading: FastMRIFixtures.path(name))
        let volume = try file.kspace()
        #expect(volume.dtype == .complex64)
        let target: FastMRIReconstruction = name.hasPrefix("singlecoil") ? .esc : .rss
        for slice in 0..<file.metadata.sliceCount {
            let expected = fixture.tensor("\(name)/kspace/\(slice)")
            // The file's bytes come back unchanged, so the match is exact.
            expectClose(try file.kspace(slice: slice), expected, tolerance: 0)
            expectClose(volume[slice], expected, tolerance: 0)
            if file.metadata.reconstructions.contains(target) {
                expectClose(
                    try file.reconstruction(target, slice: slice), fixture.tensor("\(name)/target/\(slice)"),
                    tolerance: 0)
            }
        }
        if file.metadata.hasMask {
            let mask = try #require(try file.mask())
            #expect(mask.dtype == .bool)
            expectClose(mask, fixture.tensor("\(name)/mask"), tolerance: 0)
        } else {
            #expect(try file.mask() == nil)
        }
    }

    @Test("single-coil files' second target reads whole")
    func singleCoilRSS() throws {
        let name = "singlecoil_val/file1000003.h5"
        let file = try FastMRIFile(reading: FastMRIFixtures.path(name))
        let fixture = try Fixture("fastmri_files")
        expectClose(try file.reconstruction(.rss), fixture.tensor("\(name)/reconstruction_rss"), tolerance: 0)
    }

    @Test("a file MRIKit writes reads back with every field")
    func writeRoundTrip() throws {
        let directory = try TemporaryDirectory()
        let source = try FastMRIFile(reading: FastMRIFixtures.path("multicoil_train/file1000002.h5"))
        let mask = Tensor([Float(1), 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0])
        for compressionLevel in [nil, 6] {
            let path = directory.path("written-\(compressionLevel ?? 0).h5")
            let attributes = FastMRIAttributes(
                acquisition: "CORPDFS_FBK", max: 5.25, norm: 80.5, patientID: "p1", acceleration: 4, numLowFrequency: 3)
            try FastMRIFile.write(
                to: path, kspace: try source.kspace(), header: source.metadata.header, attributes: attributes,
                reconstructions: [.rss: try source.reconstruction(.rss)], mask: mask, compressionLevel: compressionLevel)
            let written = try FastMRIFile(reading: path)
            #expect(written.metadata.header == source.metadata.header)
            #expect(written.metadata.attributes == attributes)
            #expect(written.metadata.kspaceShape == source.metadata.kspaceShape)
            #expect(written.metadata.reconstructions == [.rss])
            expectClose(try written.kspace(), try source.kspace(), tolerance: 0)
            expectClose(try written.kspace(slice: 2), try source.kspace(slice: 2), tolerance: 0)
            expectClose(try written.reconstruction(.rss), try source.reconstruction(.rss), tolerance: 0)
            expectClose(try #require(try written.mask()), mask.ne(0), tolerance: 0)
        }
    }

    @Test("the header MRIKit writes parses to the same geometry")
    func headerRoundTrip() throws {
        let header = FastMRIHeader(encodingSize: [640, 372, 1], reconSize: [320, 320, 1], encodingCenter: 185,
                                   encodingMaximum: 368)
        #expect(header.paddingLeft == 1 && header.paddingRight == 370)
        #expect(try FastMRIHeader(parsing: Data(header.xml.utf8), file: "x.h5") == header)
    }

    @Test("submissions hold one reconstruction dataset per file")
    func submission() throws {
        let directory = try TemporaryDirectory()
        let output = directory.path("submission/nested")
        let first = Tensor.arange(32, dtype: .float32).reshape([2, 4, 4])
        let second = Tensor.ones([3, 4, 4], dtype: .float64) * 0.5
        try FastMRISubmission.save(["file1000001.h5": first, "file1000002.h5": second], to: output)
        let names = try FileManager.default.contentsOfDirectory(atPath: output).sorted()
        #expect(names == ["file1000001.h5", "file1000002.h5"])
        let read = try FastMRISubmission.reconstruction(at: "\(output)/file1000002.h5")
        #expect(read.dtype == .float32)
        expectClose(read, second, tolerance: 0)
        expectClose(try FastMRISubmission.reconstruction(at: "\(output)/file1000001.h5"), first, tolerance: 0)
        let file = try HDF5File(reading: "\(output)/file1000001.h5")
        #expect(try file.info("reconstruction") == HDF5DatasetInfo(name: "reconstruction", shape: [2, 4, 4], elementType: .tensor(.float32)))
    }
}

@Suite("FastMRIFile malformed")
struct FastMRIMalformedTests {
    static func path(_ name: String) -> String { FastMRIFixtures.path("malformed/\(name)") }

    @Test(
        "opening a defective file names the file and field",
        arguments: [
            ("truncated.h5", nil, "truncated"), ("not_hdf5.h5", nil, "is not a readable HDF5 file"),
            ("missing_kspace.h5", "kspace", "is missing"), ("wrong_dtype.h5", "kspace", "holds float32, not complex64"),
            ("wrong_rank.h5", "kspace", "has shape [8, 12]"), ("missing_max.h5", "max", "is missing"),
            ("wrong_attribute_type.h5", "max", "not a number"),
            ("malformed_header.h5", "ismrmrd_header", "is not well-formed XML"),
            ("header_without_limits.h5", "ismrmrd_header",
             "has no encoding/encodingLimits/kspace_encoding_step_1/center element"),
            ("missing_header.h5", "ismrmrd_header", "is missing"),
            ("target_slices_mismatch.h5", "reconstruction_rss", "has shape [1, 8, 8]"),
        ] as [(String, String?, String)])
    func opening(_ name: String, _ field: String?, _ reason: String) {
        let path = Self.path(name)
        expectDataError(file: path, field: field, reason: reason) { _ = try FastMRIFile(reading: path) }
    }

    @Test("NaN in k-space is reported for its slice and for the volume")
    func nan() throws {
        let path = Self.path("nan_kspace.h5")
        let file = try FastMRIFile(reading: path)
        _ = try file.kspace(slice: 0)
        expectDataError(file: path, field: "kspace", reason: "slice 1 holds NaN") { _ = try file.kspace(slice: 1) }
        expectDataError(file: path, field: "kspace", reason: "the volume holds NaN") { _ = try file.kspace() }
    }

    @Test("a slice past the end names k-space")
    func sliceOutOfRange() throws {
        let path = FastMRIFixtures.path("multicoil_train/file1000001.h5")
        let file = try FastMRIFile(reading: path)
        expectDataError(file: path, field: "kspace", reason: "no slice 2") { _ = try file.kspace(slice: 2) }
    }
}
