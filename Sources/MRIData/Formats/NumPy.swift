import Foundation
import Torch

/// NumPy's `.npy` arrays and `.npz` archives of them, read and written by hand: the format is a
/// short text header plus raw bytes, and no Debian C library reads it. NPZ archives go through
/// Torch's ZIP reader and writer, with zlib inflating `np.savez_compressed` entries.
///
/// Supported element types: `float16/32/64`, `int8/16/32/64`, `uint8`, `bool`, `complex64/128`,
/// and `uint16`/`uint32`, read into `int32`/`int64` (MRIKit has no wider unsigned tensors);
/// either byte order; C or Fortran order (a Fortran array of shape `[a, b]` reads as the same
/// `[a, b]` tensor, made contiguous). Tensors are always written little-endian in C order.
public enum NumPyFile {
    /// Reads the array in the `.npy` file at `url`.
    ///
    /// Throws `DataError` naming the file and the header field (`magic`, `header`, `descr`,
    /// `fortran_order`, `shape`) for a truncated or malformed file or an unsupported dtype.
    public static func readArray(from url: URL) throws -> Tensor {
        try decode(readBytes(of: url), file: url.path, entry: nil)
    }

    /// Reads every array of the `.npz` archive at `url` (`np.savez` or `np.savez_compressed`),
    /// keyed by name without the `.npy` suffix.
    ///
    /// Throws `DataError` naming the file and `<entry>.npy: <field>` for a bad member, or the
    /// ZIP structure for a truncated or corrupt archive.
    public static func readArrays(from url: URL) throws -> [String: Tensor] {
        let file = url.path
        let archive = try asDataError(field: "zip") { try ZipReader(readBytes(of: url), file: file) }
        var arrays: [String: Tensor] = [:]
        for entry in archive.entries where entry.name.hasSuffix(".npy") {
            let bytes = try asDataError(field: entry.name) {
                try archive.contents(of: entry.name) { compressed, size in
                    try inflateRawDeflate(compressed, size: size, file: file, field: entry.name)
                }
            }
            arrays[String(entry.name.dropLast(4))] = try decode(bytes, file: file, entry: entry.name)
        }
        return arrays
    }

    /// Writes `tensor` to `url` as a `.npy` file (format 1.0, little-endian, C order), atomically.
    public static func write(_ tensor: Tensor, to url: URL) throws {
        try writeAtomically(try encode(tensor, file: url.path), to: url)
    }

    /// Writes `arrays` to `url` as an uncompressed `.npz` archive (`np.savez`'s layout, members
    /// `<name>.npy` in name order), atomically.
    public static func write(_ arrays: [String: Tensor], to url: URL) throws {
        let members = try arrays.sorted { $0.key < $1.key }.map {
            ($0.key + ".npy", try encode($0.value, file: url.path))
        }
        try asDataError {
            try AtomicFileWriter.write(to: url) { output in
                var archive = ZipWriter(writingTo: output)
                for (name, bytes) in members { try archive.add(name, bytes) }
                try archive.finish()
            }
        }
    }

    // MARK: Format

    private static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// One element type: its tensor dtype, its size in the file, and how to read it.
    private struct ElementType {
        let dtype: DType
        let size: Int
        let bigEndian: Bool
        /// Stored unsigned 16- or 32-bit integers, widened on read.
        let unsignedWidth: Int?

        /// Parses a `descr` such as `<f4`, `|u1`, `>c16`.
        init?(descr: String) {
            guard descr.count >= 3, let order = descr.first, "<>|=".contains(order) else { return nil }
            let code = String(descr.dropFirst())
            bigEndian = order == ">"
            unsignedWidth = code == "u2" ? 16 : code == "u4" ? 32 : nil
            let types: [String: DType] = [
                "f2": .float16, "f4": .float32, "f8": .float64, "i1": .int8, "i2": .int16, "i4": .int32,
                "i8": .int64, "u1": .uint8, "b1": .bool, "c8": .complex64, "c16": .complex128, "u2": .int32,
                "u4": .int64,
            ]
            guard let dtype = types[code], let size = Int(code.dropFirst()) else { return nil }
            self.dtype = dtype
            self.size = size
        }
    }

    /// The array in `bytes` (a whole `.npy` file); errors name `entry` when it is an NPZ member.
    private static func decode(_ bytes: Data, file: String, entry: String?) throws -> Tensor {
        func error(_ field: String, _ reason: String) -> DataError {
            DataError(file: file, field: entry.map { "\($0): \(field)" } ?? field, reason)
        }
        let start = bytes.startIndex
        guard bytes.count >= 12, Array(bytes.prefix(6)) == magic else {
            throw error("magic", "not a NumPy .npy array (no \\x93NUMPY magic, or shorter than a header)")
        }
        let major = bytes[start + 6]
        guard (1...3).contains(major) else { throw error("version", "unsupported .npy format version \(major)") }
        // Little-endian header length: 2 bytes in version 1, 4 in versions 2 and 3.
        let lengthSize = major == 1 ? 2 : 4
        let headerLength = (0..<lengthSize).reduce(0) { $0 | Int(bytes[start + 8 + $1]) << (8 * $1) }
        let dataOffset = 8 + lengthSize + headerLength
        guard dataOffset <= bytes.count,
            let header = String(
                bytes: bytes[(start + 8 + lengthSize)..<(start + dataOffset)],
                encoding: major == 3 ? .utf8 : .isoLatin1)
        else {
            throw error(
                "header", "truncated header (\(headerLength) bytes announced, \(bytes.count - 8 - lengthSize) present)")
        }

        guard let descr = value(of: "descr", in: header) else { throw error("descr", "missing from the header") }
        let descrText = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        guard let type = ElementType(descr: descrText) else {
            throw error(
                "descr", "unsupported dtype '\(descrText)' (structured, string, object or unsigned 64-bit arrays)")
        }
        guard let order = value(of: "fortran_order", in: header), order == "True" || order == "False" else {
            throw error("fortran_order", "missing or not True/False")
        }
        guard let shapeText = value(of: "shape", in: header), shapeText.hasPrefix("("), shapeText.hasSuffix(")") else {
            throw error("shape", "missing or not a tuple")
        }
        let parts = shapeText.dropFirst().dropLast().split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let shape = parts.compactMap { Int($0) }
        guard shape.count == parts.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw error("shape", "\(shapeText) is not a tuple of sizes")
        }
        guard let needed = byteCount(of: shape, elementSize: type.size), needed == bytes.count - dataOffset else {
            throw error(
                "shape",
                "\(shapeText) of '\(descrText)' needs "
                    + "\(byteCount(of: shape, elementSize: type.size).map(String.init) ?? "too many") "
                    + "data bytes, the file holds \(bytes.count - dataOffset) (truncated, or a wrong shape)")
        }

        let fortran = order == "True"
        let storedShape = fortran ? Array(shape.reversed()) : shape
        var data = Array(bytes[(bytes.startIndex + dataOffset)...])
        if type.bigEndian, type.size > 1 {
            // Complex numbers swap each part on its own.
            let unit = type.dtype.isComplex ? type.size / 2 : type.size
            for start in stride(from: 0, to: data.count, by: unit) { data[start..<start + unit].reverse() }
        }
        let tensor: Tensor = data.withUnsafeBytes { raw in
            switch type.unsignedWidth {
            case 16: Tensor(raw.bindMemory(to: UInt16.self).map(Int32.init), shape: storedShape)
            case 32: Tensor(raw.bindMemory(to: UInt32.self).map(Int64.init), shape: storedShape)
            default: Tensor(bytes: raw, shape: storedShape, dtype: type.dtype)
            }
        }
        return fortran ? reversingAxes(tensor) : tensor
    }

    /// The text of `key`'s value in a header dict such as
    /// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
    private static func value(of key: String, in header: String) -> String? {
        guard let keyRange = header.range(of: "'\(key)':") else { return nil }
        let rest = header[keyRange.upperBound...].drop { $0 == " " }
        let end: String.Index?
        if rest.first == "(" {
            end = rest.firstIndex(of: ")").map { rest.index(after: $0) }
        } else if let quote = rest.first, quote == "'" || quote == "\"" {
            end = rest.dropFirst().firstIndex(of: quote).map { rest.index(after: $0) }
        } else {
            end = rest.firstIndex { $0 == "," || $0 == "}" }
        }
        return end.map { String(rest[..<$0]) }
    }

    /// The `.npy` bytes of `tensor`: a version 1.0 header padded so the data starts on a
    /// 64-byte boundary, as NumPy writes it.
    private static func encode(_ tensor: Tensor, file: String) throws -> [UInt8] {
        let codes: [DType: String] = [
            .float16: "<f2", .float32: "<f4", .float64: "<f8", .int8: "|i1", .int16: "<i2", .int32: "<i4",
            .int64: "<i8", .uint8: "|u1", .bool: "|b1", .complex64: "<c8", .complex128: "<c16",
        ]
        guard let descr = codes[tensor.dtype] else {
            throw DataError(file: file, field: "descr", "NumPy has no \(tensor.dtype) type")
        }
        let shape = tensor.shape
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = magic.count + 4 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = header.utf8.count
        var bytes = magic + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(header.utf8)
        bytes += tensor.to(device: .cpu).contiguous().toBytes()
        return bytes
    }
}
