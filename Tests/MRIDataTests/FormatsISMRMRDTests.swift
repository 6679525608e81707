import Foundation
import Testing

@testable import MRIData
import TorchTestSupport

private func ismrmrdFile(_ name: String) -> URL {
    Fixture.directory.appendingPathComponent("ismrmrd").appendingPathComponent(name)
}

@Suite("ISMRMRD files")
struct ISMRMRDTests {
    let fixture: Fixture

    init() throws { fixture = try Fixture("ismrmrd") }

    @Test("the header's encoding and each acquisition's fields and samples read as h5py wrote them")
    func readsAcquisitions() throws {
        let file = try ISMRMRDFile(contentsOf: ismrmrdFile("partial_fourier.h5"))
        #expect(file.header.encodingSize == [16, 12, 1])
        #expect(file.header.reconSize == [8, 12, 1])
        #expect(file.header.paddingLeft == 1)
        #expect(file.xml.contains("<H1resonanceFrequency_Hz>63500000</H1resonanceFrequency_Hz>"))
        let noise = try file.acquisition(0)
        #expect(noise.isSet(.isNoiseMeasurement))
        #expect(!noise.isImaging)
        let line = try file.acquisition(1)
        #expect(line.isImaging)
        #expect(line.encodeStep1 == Int(fixture.scalar("first_line_step")))
        #expect(line.slice == Int(fixture.scalar("first_line_slice")))
        #expect(line.scanCounter == 1)
        #expect(line.centerSample == 8)
        // Stored float32 samples copied as they are.
        expectClose(line.data, fixture.tensor("first_line"), tolerance: 0)
        let last = try file.acquisition(file.acquisitionCount - 1)
        #expect(last.isSet(.isNavigationData))
    }

    @Test("Cartesian k-space and mask equal numpy's assembly, skipping noise, calibration-only and navigator lines")
    func assemblesKSpace() throws {
        let assembled = try ISMRMRDFile(contentsOf: ismrmrdFile("partial_fourier.h5")).cartesianKSpace()
        let expected = fixture.tensor("kspace")
        #expect(assembled.kspace.dtype == .complex64)
        #expect(assembled.kspace.shape == expected.shape)
        expectClose(assembled.kspace, expected, tolerance: 0)
        #expect(assembled.mask.dtype == .bool)
        #expect(assembled.mask.equal(fixture.tensor("mask")))
    }

    @Test(
        "malformed files throw a DataError naming the file and the field",
        arguments: [
            ("not_hdf5.h5", nil, "not a readable ISMRMRD file"),
            ("no_xml.h5", "xml", "cannot be read (libismrmrd: No XML Header found."),
            ("no_encoded_space.h5", "xml", "has no encoding/encodedSpace/matrixSize/x element"),
        ] as [(String, String?, String)])
    func malformed(file: String, field: String?, reason: String) {
        let url = ismrmrdFile("bad/\(file)")
        expectDataError(file: url.path, field: field, reason: reason) { _ = try ISMRMRDFile(contentsOf: url) }
    }

    @Test("a line acquired twice (a second average) is refused, naming the acquisition")
    func repeatedLine() throws {
        let url = ismrmrdFile("bad/repeated_line.h5")
        let file = try ISMRMRDFile(contentsOf: url)
        expectDataError(file: url.path, field: "data[3].head.idx", reason: "was acquired before (acquisition 1)") {
            _ = try file.cartesianKSpace()
        }
        expectDataError(file: url.path, field: "data", reason: "acquisition 4 is outside 0..<4") {
            _ = try file.acquisition(4)
        }
    }

    @Test("a missing file throws a DataError naming it")
    func missingFile() {
        let url = ismrmrdFile("absent.h5")
        expectDataError(file: url.path, field: nil, reason: "no such readable file") {
            _ = try ISMRMRDFile(contentsOf: url)
        }
    }
}
