import Foundation
import Testing

@testable import MRIData
import TorchTestSupport

/// The fixture files (written by nibabel in make_nifti_fixtures.py).
private func niftiFile(_ name: String) -> URL {
    Fixture.directory.appendingPathComponent("nifti").appendingPathComponent(name)
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
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("out\(suffix)")
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
        #expect(try directory.contents() == ["out\(suffix)"], "the temporary file is renamed, not left behind")
    }

    @Test("a new image stores its affine as the sform and the column lengths as spacing")
    func newImage() throws {
        let data = Tensor.arange(24, dtype: .float32).reshape([2, 3, 4])
        let affine = Tensor([0.0, -2, 0, 5, 3, 0, 0, -1, 0, 0, 1.5, 7, 0, 0, 0, 1], shape: [4, 4])
        let image = NIfTIImage(data: data, affine: affine)
        #expect(image.spacing == [3, 2, 1.5])
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("new.nii.gz")
        try image.write(to: url)
        let back = try NIfTIImage(contentsOf: url)
        expectClose(back.data, data, tolerance: 0)
        expectClose(back.affine, affine, tolerance: 0)
        #expect(back.sformCode == 2)
    }

    @Test("a failed write leaves the existing file untouched")
    func atomicWrite() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("keep.nii")
        try NIfTIImage(data: Tensor.ones([2, 2, 2])).write(to: url)
        let before = try Data(contentsOf: url)
        let half = NIfTIImage(data: Tensor.ones([2, 2, 2], dtype: .float16))
        expectDataError(file: url.path, field: "datatype", reason: "cannot store float16") {
            try half.write(to: url)
        }
        #expect(try Data(contentsOf: url) == before)
        #expect(try directory.contents() == ["keep.nii"])
    }

    @Test(
        "malformed files throw a DataError naming the file and the field",
        arguments: [
            ("truncated_data.nii", "dim", "truncated, or lying dims"), ("lying_dims.nii", "dim", "lying dims"),
            ("truncated_header.nii", "sizeof_hdr", "348"), ("empty.nii", "sizeof_hdr", "348"),
            ("not_nifti.nii", "sizeof_hdr", "348"),
            ("unsupported_datatype.nii", "datatype", "unsupported datatype 128"),
            ("unknown_datatype.nii", "datatype", "unknown datatype code 9999"), ("bad_ndim.nii", "dim", "dim[0] is 9"),
            ("negative_dim.nii", "dim", "dim[2] is -3"), ("bad_magic.nii", "magic", "'xyz'"),
            ("bad_scl_inter.nii", "scl_inter", "scl_inter is inf"),
            ("truncated_gzip.nii.gz", "data", "truncated or corrupt"),
            ("corrupt_gzip.nii.gz", "gzip", "corrupt or truncated gzip stream"),
            ("nan.nii", "data", "1 of 18 voxels are NaN"),
        ])
    func malformed(file: String, field: String, reason: String) {
        let url = niftiFile("bad/\(file)")
        expectDataError(file: url.path, field: field, reason: reason) { _ = try NIfTIImage(contentsOf: url) }
    }

    @Test("a raw read returns NaN voxels as stored")
    func rawNaN() throws {
        let image = try NIfTIImage(contentsOf: niftiFile("bad/nan.nii"), raw: true)
        #expect(image.data.isnan().sum().item(Int64.self) == 1)
    }

    @Test("a missing file throws a DataError naming it")
    func missing() {
        let url = niftiFile("no_such_file.nii")
        expectDataError(file: url.path, field: nil, reason: "no such readable file") {
            _ = try NIfTIImage(contentsOf: url)
        }
    }
}
