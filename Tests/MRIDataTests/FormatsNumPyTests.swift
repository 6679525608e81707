import Foundation
import Testing

@testable import MRIData
import TorchTestSupport

private func numpyFile(_ name: String) -> URL {
    Fixture.directory.appendingPathComponent("numpy").appendingPathComponent(name)
}

@Suite("NumPy files")
struct NumPyTests {
    let fixture: Fixture

    init() throws { fixture = try Fixture("numpy") }

    static let arrays = [
        "float32", "float64_fortran", "float16", "int8", "int16", "int32_fortran", "int64", "uint8", "uint16",
        "uint32", "bool", "complex64", "complex128_fortran", "float32_bigendian", "complex64_bigendian",
        "int64_bigendian", "scalar", "empty",
    ]

    @Test("np.save arrays read back exactly (dtypes, byte orders, C and Fortran order)", arguments: arrays)
    func readsNumPy(name: String) throws {
        let tensor = try NumPyFile.readArray(from: numpyFile("\(name).npy"))
        let expected = fixture.tensor(name)
        #expect(tensor.dtype == expected.dtype)
        #expect(tensor.isContiguous)
        expectClose(tensor, expected, tolerance: 0)
    }

    @Test("np.savez and np.savez_compressed archives read back exactly", arguments: ["stored.npz", "cine.npz"])
    func readsArchives(file: String) throws {
        let arrays = try NumPyFile.readArrays(from: numpyFile(file))
        #expect(arrays["kspace"]?.shape == [2, 3, 4, 5])
        #expect(arrays["kspace"]?.dtype == .complex64)
        expectClose(try #require(arrays["kspace"]), fixture.tensor("cine_kspace"), tolerance: 0)
        expectClose(try #require(arrays["mask"]), fixture.tensor("cine_mask"), tolerance: 0)
        if file == "cine.npz" { expectClose(try #require(arrays["scale"]), fixture.tensor("cine_scale"), tolerance: 0) }
    }

    @Test("write then read gives back every array", arguments: arrays)
    func roundTrip(name: String) throws {
        let tensor = fixture.tensor(name)
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("a.npy")
        try NumPyFile.write(tensor, to: url)
        let back = try NumPyFile.readArray(from: url)
        #expect(back.dtype == tensor.dtype)
        expectClose(back, tensor, tolerance: 0)
        let archive = directory.url.appendingPathComponent("a.npz")
        try NumPyFile.write(["x": tensor, "y": Tensor.ones([2])], to: archive)
        let arrays = try NumPyFile.readArrays(from: archive)
        #expect(Set(arrays.keys) == ["x", "y"])
        expectClose(try #require(arrays["x"]), tensor, tolerance: 0)
    }

    @Test(
        "malformed files throw a DataError naming the file and the field",
        arguments: [
            ("truncated_data.npy", "shape", "truncated, or a wrong shape"),
            ("truncated_header.npy", "header", "truncated"),
            ("bad_magic.npy", "magic", "not a NumPy .npy array"), ("empty.npy", "magic", "not a NumPy .npy array"),
            ("lying_shape.npy", "shape", "(30, 4)"), ("unsupported_dtype.npy", "descr", "unsupported dtype '<U3'"),
            ("missing_descr.npy", "descr", "missing"), ("bad_fortran_order.npy", "fortran_order", "True/False"),
            ("bad_shape.npy", "shape", "not a tuple of sizes"), ("bad_version.npy", "version", "version 9"),
            ("truncated.npz", "zip", "ZIP"), ("corrupt_member.npz", "kspace.npy", "corrupt deflate stream"),
            ("truncated_member.npz", "x.npy: shape", "wrong shape"),
        ])
    func malformed(file: String, field: String, reason: String) {
        let url = numpyFile("bad/\(file)")
        expectDataError(file: url.path, field: field, reason: reason) {
            if file.hasSuffix(".npz") {
                _ = try NumPyFile.readArrays(from: url)
            } else {
                _ = try NumPyFile.readArray(from: url)
            }
        }
    }
}
