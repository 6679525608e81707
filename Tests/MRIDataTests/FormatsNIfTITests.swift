import Foundation
import Testing

@testable import MRIData
import TorchTestSupport

/// The fixture files (written by nibabel in make_nifti_fixtures.py).
private func niftiFile(_ name: String) -> URL {
    Fixture.directory.appendingPathComponent("nifti").appendingPathComponent(name)
}

/// A fresh directory for files a test writes.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mrikit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Expects `body` to throw a `DataError` about `file` and `field`.
func expectDataError(
    file: URL, field: String?, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("no error thrown for \(file.lastPathComponent)", sourceLocation: sourceLocation)
    } catch let error as DataError {
        #expect(error.file == file.path, "\(error)", sourceLocation: sourceLocation)
        #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("\(file.lastPathComponent): not a DataError: \(error)", sourceLocation: sourceLocation)
    }
}

@Suite("NIfTI files")
struct NIfTITests {
    let fixture: Fixture

    init() throws { fixture = try Fixture("nifti") }

    static let files = [
        "int16_scaled.nii.gz", "float32_qform.nii", "float64_noxform.nii", "uint8.nii", "int8.nii", "uint16.nii",
        "int32.nii", "uint32.nii", "int64.nii", "complex64.nii", "complex128.nii", "nifti2_float32.nii.gz",
        "int16_bigendian.nii",
    ]

    private func key(_ file: String) -> String { String(file.prefix { $0 != "." }) }

    // Scaled values are float32 here and float64 in nibabel: they differ by the float32 rounding
    // of the value, at most 2^-24 (6e-8) of the largest magnitude (large int32/int64 values).
    @Test("scaled data equals nibabel's get_fdata() (x-fastest files read as data[x, y, z])", arguments: files)
    func scaledData(file: String) throws {
        let image = try NIfTIImage(contentsOf: niftiFile(file))
        let expected = fixture.tensor("\(key(file))_scaled")
        #expect(image.data.dtype == (expected.dtype.isComplex ? .complex64 : .float32))
        #expect(image.scaleSlope == 1 && image.scaleIntercept == 0)
        let largest = expected.abs().max().to(dtype: .float64).item(Double.self)
        expectClose(image.data, expected, tolerance: 6e-8 * largest)
    }

    @Test("raw data keeps the stored type and equals nibabel's dataobj exactly", arguments: files)
    func rawData(file: String) throws {
        let image = try NIfTIImage(contentsOf: niftiFile(file), raw: true)
        let expected = fixture.tensor("\(key(file))_raw")
        #expect(image.data.dtype == expected.dtype)
        expectClose(image.data, expected, tolerance: 0)
        #expect(image.scaleSlope == fixture.scalar("\(key(file))_slope"))
        #expect(image.scaleIntercept == fixture.scalar("\(key(file))_inter"))
    }

    // The header stores float32 fields; nibabel and nifti_clib turn the quaternion into a matrix
    // in float64 with slightly different formulas (1e-6 covers float32 rounding of O(10) values).
    @Test("affine and spacing equal nibabel's get_best_affine() and zooms (sform, qform, neither)", arguments: files)
    func geometry(file: String) throws {
        let image = try NIfTIImage(contentsOf: niftiFile(file))
        expectClose(image.affine, fixture.tensor("\(key(file))_affine"), tolerance: 1e-5)
        expectClose(Tensor(image.spacing), fixture.tensor("\(key(file))_spacing"), tolerance: 0)
    }

    @Test("the header version is read from the file")
    func version() throws {
        #expect(try NIfTIImage(contentsOf: niftiFile("nifti2_float32.nii.gz")).version == .nifti2)
        #expect(try NIfTIImage(contentsOf: niftiFile("float32_qform.nii")).version == .nifti1)
    }

    @Test(
        "write then read gives back data, affine, spacing and scaling",
        arguments: ["int16_scaled.nii.gz", "float32_qform.nii", "complex64.nii", "uint16.nii", "int64.nii"],
        [(NIfTIVersion.nifti1, ".nii"), (.nifti1, ".nii.gz"), (.nifti2, ".nii"), (.nifti2, ".nii.gz")])
    func roundTrip(file: String, format: (version: NIfTIVersion, suffix: String)) throws {
        let (version, suffix) = format
        var image = try NIfTIImage(contentsOf: niftiFile(file), raw: true)
        image.version = version
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("out\(suffix)")
        try image.write(to: url)
        let back = try NIfTIImage(contentsOf: url, raw: true)
        #expect(back.version == version)
        #expect(back.data.dtype == image.data.dtype)
        expectClose(back.data, image.data, tolerance: 0)
        #expect(back.spacing == image.spacing)
        #expect(back.scaleSlope == image.scaleSlope && back.scaleIntercept == image.scaleIntercept)
        // The affine passes through the header's float32 srow fields.
        expectClose(back.affine, image.affine, tolerance: 1e-5)
        #expect(back.sformCode == image.sformCode && back.qformCode == image.qformCode)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(leftovers == ["out\(suffix)"], "the temporary file is renamed, not left behind")
    }

    @Test("a new image stores its affine as the sform and the column lengths as spacing")
    func newImage() throws {
        let data = Tensor.arange(24, dtype: .float32).reshape([2, 3, 4])
        let affine = Tensor([0.0, -2, 0, 5, 3, 0, 0, -1, 0, 0, 1.5, 7, 0, 0, 0, 1], shape: [4, 4])
        let image = NIfTIImage(data: data, affine: affine)
        #expect(image.spacing == [3, 2, 1.5])
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("new.nii.gz")
        try image.write(to: url)
        let back = try NIfTIImage(contentsOf: url)
        expectClose(back.data, data, tolerance: 0)
        expectClose(back.affine, affine, tolerance: 0)
        #expect(back.sformCode == 2)
    }

    @Test("a failed write leaves the existing file untouched")
    func atomicWrite() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("keep.nii")
        try NIfTIImage(data: Tensor.ones([2, 2, 2])).write(to: url)
        let before = try Data(contentsOf: url)
        let half = NIfTIImage(data: Tensor.ones([2, 2, 2], dtype: .float16))
        expectDataError(file: url, field: "datatype") { try half.write(to: url) }
        #expect(try Data(contentsOf: url) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["keep.nii"])
    }

    @Test(
        "malformed files throw a DataError naming the file and the field",
        arguments: [
            ("truncated_data.nii", "dim"), ("lying_dims.nii", "dim"), ("truncated_header.nii", "sizeof_hdr"),
            ("empty.nii", "sizeof_hdr"), ("not_nifti.nii", "sizeof_hdr"), ("unsupported_datatype.nii", "datatype"),
            ("unknown_datatype.nii", "datatype"), ("bad_ndim.nii", "dim"), ("negative_dim.nii", "dim"),
            ("bad_magic.nii", "magic"), ("bad_scl_inter.nii", "scl_inter"), ("truncated_gzip.nii.gz", "data"),
            ("corrupt_gzip.nii.gz", "gzip"), ("nan.nii", "data"),
        ])
    func malformed(file: String, field: String) {
        let url = niftiFile("bad/\(file)")
        expectDataError(file: url, field: field) { _ = try NIfTIImage(contentsOf: url) }
    }

    @Test("a raw read returns NaN voxels as stored")
    func rawNaN() throws {
        let image = try NIfTIImage(contentsOf: niftiFile("bad/nan.nii"), raw: true)
        #expect(image.data.isnan().sum().item(Int64.self) == 1)
    }

    @Test("a missing file throws a DataError naming it")
    func missing() {
        let url = niftiFile("no_such_file.nii")
        expectDataError(file: url, field: nil) { _ = try NIfTIImage(contentsOf: url) }
    }
}
