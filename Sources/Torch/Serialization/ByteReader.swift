import Foundation

/// Bounds-checked little-endian reads from a byte buffer of an outside file.
///
/// Every length and offset comes from the file, so each read checks it against the
/// buffer first and throws a `SerializationError` naming `what` was being read.
struct ByteReader {
    let data: Data
    let file: String
    /// The offset of the next read, relative to the start of `data`.
    var position = 0

    init(_ data: Data, file: String) {
        self.data = data
        self.file = file
    }

    var count: Int { data.count }

    func error(_ problem: String) -> SerializationError { SerializationError(file: file, problem) }

    /// The bytes `[offset, offset + length)`, or a "truncated <what>" error.
    func bytes(at offset: Int, count length: Int, _ what: String) throws -> Data {
        guard offset >= 0, length >= 0, offset <= data.count, length <= data.count - offset else {
            throw error("truncated \(what) (needs bytes [\(offset), \(offset &+ length)) of \(data.count))")
        }
        let start = data.startIndex + offset
        return data[start..<start + length]
    }

    /// The unsigned little-endian integer of `size` bytes at `offset`.
    func unsigned(at offset: Int, size: Int, _ what: String) throws -> UInt64 {
        let field = try bytes(at: offset, count: size, what)
        return field.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    func uint16(at offset: Int, _ what: String) throws -> Int {
        Int(try unsigned(at: offset, size: 2, what))
    }

    func uint32(at offset: Int, _ what: String) throws -> Int {
        Int(try unsigned(at: offset, size: 4, what))
    }

    /// A 64-bit length or offset; values beyond `Int.max` cannot index anything, so they throw.
    func uint64(at offset: Int, _ what: String) throws -> Int {
        let value = try unsigned(at: offset, size: 8, what)
        guard value <= UInt64(Int.max) else { throw error("\(what) \(value) is out of range") }
        return Int(value)
    }

    mutating func read(count length: Int, _ what: String) throws -> Data {
        let field = try bytes(at: position, count: length, what)
        position += length
        return field
    }

    mutating func readUnsigned(size: Int, _ what: String) throws -> UInt64 {
        let value = try unsigned(at: position, size: size, what)
        position += size
        return value
    }

    mutating func readByte(_ what: String) throws -> UInt8 {
        UInt8(try readUnsigned(size: 1, what))
    }
}

/// Appends little-endian integers to a byte array (for the ZIP and pickle writers).
extension Array where Element == UInt8 {
    mutating func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

/// The contents of `url` (memory-mapped when possible), or an error naming the file.
func readFileContents(_ url: URL) throws -> Data {
    do {
        return try Data(contentsOf: url, options: .mappedIfSafe)
    } catch {
        throw SerializationError(file: url.path, "cannot read: \(error.localizedDescription)")
    }
}
