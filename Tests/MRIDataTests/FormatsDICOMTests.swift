import Foundation
import Testing

@testable import MRIData
import TorchTestSupport

private func dicomFile(_ name: String) -> URL {
    Fixture.directory.appendingPathComponent("dicom").appendingPathComponent(name)
}

@Suite("DICOM series")
struct DICOMTests {
    let fixture: Fixture

    init() throws { fixture = try Fixture("dicom") }

    // The reference stacks pydicom's pixel_array times slope plus intercept in float64 and rounds
    // to float32, as the reader does, so the volumes agree exactly. The affine is the same
    // float64 arithmetic on the same DS values: equal to the last bit but for summation order.
    @Test(
        "series read as [columns, rows, slices] with the RAS affine and spacing computed from pydicom's reading",
        arguments: ["signed16", "unsigned8", "rle12"])
    func readsSeries(name: String) throws {
        let volume = try DICOMVolume(directory: dicomFile(name))
        let expected = fixture.tensor("\(name)_data")
        #expect(volume.data.dtype == .float32)
        #expect(volume.data.shape == expected.shape)
        expectClose(volume.data, expected, tolerance: 0)
        expectClose(volume.affine, fixture.tensor("\(name)_affine"), tolerance: 1e-12)
        expectClose(Tensor(volume.spacing), fixture.tensor("\(name)_spacing"), tolerance: 1e-12)
        let order = fixture.tensor("\(name)_order").toArray(of: Int64.self).map { "IM\($0).dcm" }
        #expect(volume.files.map(\.lastPathComponent) == order)
        #expect(volume.seriesInstanceUID.hasPrefix("1.2.826.0.1.3680043.8.498."))
    }

    @Test("the files of a series given in any order read as the directory does")
    func filesInAnyOrder() throws {
        let fromDirectory = try DICOMVolume(directory: dicomFile("signed16"))
        let volume = try DICOMVolume(files: fromDirectory.files.reversed())
        expectClose(volume.data, fromDirectory.data, tolerance: 0)
        #expect(volume.files == fromDirectory.files)
    }

    @Test("a single file reads as one slice, its slice step the normal times SliceThickness")
    func singleSlice() throws {
        let series = try DICOMVolume(directory: dicomFile("signed16"))
        let volume = try DICOMVolume(files: [series.files[2]])
        #expect(volume.data.shape == [4, 6, 1])
        expectClose(volume.data[.all, .all, 0], series.data[.all, .all, 2], tolerance: 0)
        // The fixture writes SliceThickness 2.5, its slice spacing; the series' step comes from
        // positions written with 6 decimals, so the two agree to about 1e-6 mm.
        expectClose(volume.affine[.all, 0..<3], series.affine[.all, 0..<3], tolerance: 1e-5)
        // The normal comes from cosines written with 8 decimals: its length is 1 to about 1e-8.
        #expect(abs(volume.spacing[2] - 2.5) < 1e-6)
    }

    @Test("a directory holding two series is refused, naming each series' files")
    func mixedSeries() throws {
        let directory = try TemporaryDirectory()
        for (series, file) in [("signed16", "IM0.dcm"), ("unsigned8", "IM1.dcm")] {
            try FileManager.default.copyItem(
                at: dicomFile("\(series)/\(file)"), to: directory.url.appendingPathComponent("\(series)_\(file)"))
        }
        expectDataError(file: directory.url.path, field: "SeriesInstanceUID", reason: "mixes 2 series") {
            _ = try DICOMVolume(directory: directory.url)
        }
        let groups = try DICOMVolume.series(in: directory.url)
        #expect(groups.values.map { $0.map(\.lastPathComponent) }.sorted { $0[0] < $1[0] } == [
            ["signed16_IM0.dcm"], ["unsigned8_IM1.dcm"],
        ])
    }

    @Test(
        "malformed files throw a DataError naming the file and the field",
        arguments: [
            ("not_dicom.dcm", nil, "not a readable DICOM Part 10 file (dcmtk: File meta information header missing)"),
            ("truncated.dcm", nil, "not a readable DICOM Part 10 file (dcmtk: Invalid stream)"),
            ("no_pixel_data.dcm", "PixelData", "is missing"),
            ("no_position.dcm", "ImagePositionPatient", "is missing"),
            (
                "short_pixel_data.dcm", "PixelData",
                "holds 40 bytes, but Rows × Columns = 6 × 4 pixels of 16 bits need 48"
            ),
            ("jpeg2000.dcm", "TransferSyntaxUID", "transfer syntax 1.2.840.10008.1.2.4.90 (JPEG 2000 (Lossless only))"),
        ] as [(String, String?, String)])
    func malformed(file: String, field: String?, reason: String) {
        let url = dicomFile("bad/\(file)")
        expectDataError(file: url.path, field: field, reason: reason) { _ = try DICOMVolume(files: [url]) }
    }

    @Test("a series whose slices differ in Rows is refused, naming the odd file")
    func inconsistentRows() {
        let directory = dicomFile("bad/rows")
        expectDataError(
            file: directory.appendingPathComponent("b.dcm").path, field: "Rows",
            reason: "is 5, but \(directory.appendingPathComponent("a.dcm").path) has 6"
        ) { _ = try DICOMVolume(directory: directory) }
    }

    @Test("a series with a missing slice is refused, naming the file after the gap")
    func missingSlice() {
        let directory = dicomFile("bad/gap")
        expectDataError(
            file: directory.appendingPathComponent("s2.dcm").path, field: "ImagePositionPatient",
            reason: "lies 5.0 mm from the previous slice"
        ) { _ = try DICOMVolume(directory: directory) }
    }

    @Test("two slices at one position are refused")
    func duplicatePosition() throws {
        let directory = try TemporaryDirectory()
        let source = dicomFile("signed16/IM0.dcm")
        for name in ["a.dcm", "b.dcm"] {
            try FileManager.default.copyItem(at: source, to: directory.url.appendingPathComponent(name))
        }
        let files = ["a.dcm", "b.dcm"].map { directory.url.appendingPathComponent($0) }
        expectDataError(file: files[1].path, field: "ImagePositionPatient", reason: "same position as") {
            _ = try DICOMVolume(files: files)
        }
    }

    @Test("a directory without DICOM files (hidden ones skipped) is refused")
    func emptyDirectory() throws {
        let directory = try TemporaryDirectory()
        try Data("x".utf8).write(to: directory.url.appendingPathComponent(".DS_Store"))
        expectDataError(file: directory.url.path, field: nil, reason: "holds no DICOM files") {
            _ = try DICOMVolume(directory: directory.url)
        }
    }

    @Test("a missing file throws a DataError naming it")
    func missingFile() {
        let url = dicomFile("absent.dcm")
        expectDataError(file: url.path, field: nil, reason: "no such readable file") {
            _ = try DICOMVolume(files: [url])
        }
    }
}

/// pydicom's bundled MR test files (`make setup` installs the pydicom wheel into .venv for them;
/// they are never committed), or `nil` where no such folder exists.
private let pydicomTestFiles: URL? = {
    let root = Fixture.directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let lib = root.appendingPathComponent(".venv/lib")
    let pythons = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
    return pythons.filter { $0.hasPrefix("python3") }.map {
        lib.appendingPathComponent("\($0)/site-packages/pydicom/data/test_files")
    }.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("MR_small.dcm").path) }
}()

@Suite("DICOM: pydicom's bundled MR files")
struct PydicomBundledFileTests {
    // One real 64×64 MR slice stored in four transfer syntaxes; pydicom_bundled.json holds what
    // pydicom reads from it (make_pydicom_bundled_fixtures.py).
    @Test(
        "MR_small in every encoding reads as pydicom reads it",
        .enabled(if: pydicomTestFiles != nil, "make setup installs pydicom's bundled files into .venv"),
        arguments: ["MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm"])
    func readsAsPydicom(name: String) throws {
        let fixture = try Fixture("pydicom_bundled")
        let volume = try DICOMVolume(files: [try #require(pydicomTestFiles).appendingPathComponent(name)])
        expectClose(volume.data, fixture.tensor("mr_small_data"), tolerance: 0)
        expectClose(volume.affine, fixture.tensor("mr_small_affine"), tolerance: 1e-12)
        expectClose(Tensor(volume.spacing), fixture.tensor("mr_small_spacing"), tolerance: 1e-12)
    }
}
