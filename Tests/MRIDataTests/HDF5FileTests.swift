import Foundation
import Testing
import TorchTestSupport

@testable import MRIData

/// Expects `body` to throw a `DataError` naming `file` and `field` whose reason contains `reason`.
func expectDataError(
    file: String, field: String?, reason: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("no error thrown", sourceLocation: sourceLocation)
    } catch let error as DataError {
        #expect(error.file == file, sourceLocation: sourceLocation)
        #expect(error.field == field, sourceLocation: sourceLocation)
        #expect(error.reason.contains(reason), "reason: \(error.reason)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("threw \(error), not a DataError", sourceLocation: sourceLocation)
    }
}

@Suite("HDF5File")
struct HDF5FileTests {
    /// Tensors of every dtype HDF5File stores, with distinct values.
    static func sampleTensors() -> [String: Tensor] {
        let values = Tensor.arange(24, dtype: .float64).reshape([2, 3, 4]) - 7.5
        return [
            "float32": values.to(dtype: .float32), "float64": values, "int64": values.to(dtype: .int64),
            "int32": values.to(dtype: .int32), "int16": values.to(dtype: .int16), "int8": values.to(dtype: .int8),
            "uint8": (values + 10).to(dtype: .uint8), "bool": values.gt(0),
            "complex64": Tensor.complex(real: values, imaginary: values * -0.5).to(dtype: .complex64),
            "complex128": Tensor.complex(real: values * 0.25, imaginary: values),
        ]
    }

    @Test("every dtype round-trips whole, by slice, chunked and gzipped")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("tensors.h5")
        let tensors = Self.sampleTensors()
        try HDF5File.create(at: path) { file in
            for (name, tensor) in tensors {
                try file.write(name, tensor)
                try file.write("gzip/\(name)", tensor, compressionLevel: 4)
            }
            try file.write("chunked", tensors["float32"] ?? Tensor([0]), chunks: [1, 3, 2])
        }
        let file = try HDF5File(reading: path)
        for (name, tensor) in tensors {
            for stored in [name, "gzip/\(name)"] {
                let info = try file.info(stored)
                #expect(info.shape == [2, 3, 4])
                #expect(info.elementType == .tensor(tensor.dtype))
                let whole = try file.read(stored)
                #expect(whole.dtype == tensor.dtype)
                // Stored bytes come back unchanged, so no tolerance is needed.
                expectClose(whole, tensor, tolerance: 0)
                expectClose(try file.read(stored, index: 1), tensor[1], tolerance: 0)
            }
        }
        expectClose(try file.read("chunked", index: 0), tensors["float32"]?[0] ?? Tensor([0]), tolerance: 0)
    }

    @Test("attributes hold strings, integers and floats, on the root and on datasets")
    func attributes() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("attributes.h5")
        try HDF5File.create(at: path) { file in
            try file.write("data", Tensor([Float(1), 2]))
            try file.setAttribute("acquisition", .string("CORPD_FBK ünïcode"))
            try file.setAttribute("count", .int(-42))
            try file.setAttribute("max", .float(0.000123456789))
            try file.setAttribute("max", .float(2.5))
            try file.setAttribute("units", .string("mm"), of: "data")
        }
        let file = try HDF5File(reading: path)
        #expect(try file.attributeNames() == ["acquisition", "count", "max"])
        #expect(try file.attribute("acquisition") == .string("CORPD_FBK ünïcode"))
        #expect(try file.attribute("count") == .int(-42))
        #expect(try file.attribute("max") == .float(2.5))
        #expect(try file.attribute("units", of: "data") == .string("mm"))
        #expect(!file.hasAttribute("norm"))
        expectDataError(file: path, field: "norm", reason: "is missing") { _ = try file.attribute("norm") }
        expectDataError(file: path, field: "data.attrs[\"scale\"]", reason: "is missing") {
            _ = try file.attribute("scale", of: "data")
        }
    }

    @Test("strings written as h5py str read back")
    func strings() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("strings.h5")
        let text = "<?xml version=\"1.0\"?>\n<a>é</a>"
        try HDF5File.create(at: path) { try $0.write("header", string: text) }
        let file = try HDF5File(reading: path)
        #expect(try file.readString("header") == text)
        #expect(try file.info("header").elementType == .string)
        expectDataError(file: path, field: "header", reason: "not numbers") { _ = try file.read("header") }
    }

    @Test("a failing write leaves neither the destination nor a temporary file")
    func atomicCreate() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("out.h5")
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try HDF5File.create(at: path) { file in
                try file.write("a", Tensor([Float(1)]))
                throw Stop()
            }
        }
        #expect(try directory.contents().isEmpty)
        try HDF5File.create(at: path) { try $0.write("a", Tensor([Float(1)])) }
        #expect(throws: Stop.self) {
            try HDF5File.create(at: path) { file in
                try file.write("b", Tensor([Float(2)]))
                throw Stop()
            }
        }
        // The earlier file is intact and alone.
        #expect(try directory.contents() == ["out.h5"])
        let file = try HDF5File(reading: path)
        #expect(file.contains("a") && !file.contains("b"))
    }

    @Test("update changes a copy and replaces the file only on success")
    func update() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("out.h5")
        try HDF5File.create(at: path) { try $0.write("a", Tensor([Float(1), 2])) }
        try HDF5File.update(at: path) { file in
            try file.write("b", Tensor([Int64(3)]))
            try file.setAttribute("note", .string("updated"))
        }
        let file = try HDF5File(reading: path)
        expectClose(try file.read("a"), Tensor([Float(1), 2]), tolerance: 0)
        expectClose(try file.read("b"), Tensor([Int64(3)]), tolerance: 0)
        #expect(try file.attribute("note") == .string("updated"))
        expectDataError(file: path, field: "a", reason: "already exists") {
            try HDF5File.update(at: path) { try $0.write("a", Tensor([Float(0)])) }
        }
        #expect(try directory.contents() == ["out.h5"])
    }

    @Test("errors name the file and the dataset")
    func errors() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path("missing.h5")
        expectDataError(file: missing, field: nil, reason: "no such file") { _ = try HDF5File(reading: missing) }
        let path = directory.path("data.h5")
        try HDF5File.create(at: path) { try $0.write("volume", Tensor.zeros([3, 2])) }
        let file = try HDF5File(reading: path)
        expectDataError(file: path, field: "kspace", reason: "is missing") { _ = try file.read("kspace") }
        expectDataError(file: path, field: "volume", reason: "no slice 3") { _ = try file.read("volume", index: 3) }
        expectDataError(file: path, field: "volume", reason: "not a string") { _ = try file.readString("volume") }
    }
}
