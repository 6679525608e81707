import Foundation

/// CRC-32 (ISO-HDLC, the ZIP checksum) of `bytes`, continuing from `crc`.
///
/// Slicing-by-8 (eight bytes per step through eight tables) because every stored tensor
/// is checksummed when written and when read.
func crc32(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
    crc32Tables.withUnsafeBufferPointer { table in
        var value = ~crc
        var index = 0
        let count = bytes.count
        while count - index >= 8 {
            let low = value ^ UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self))
            let high = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self))
            // Byte k of the eight is looked up in table 7 - k.
            var next: UInt32 = 0
            for shift in 0..<4 {
                next ^= table[(7 - shift) * 256 + Int((low >> UInt32(8 * shift)) & 0xFF)]
                next ^= table[(3 - shift) * 256 + Int((high >> UInt32(8 * shift)) & 0xFF)]
            }
            value = next
            index += 8
        }
        while index < count {
            value = table[Int((value ^ UInt32(bytes[index])) & 0xFF)] ^ (value >> 8)
            index += 1
        }
        return ~value
    }
}

/// Table k maps a byte to its CRC contribution k bytes further along.
private let crc32Tables: [UInt32] = {
    var tables: [UInt32] = (0..<256).map { (index: Int) -> UInt32 in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
    for slice in 1..<8 {
        for byte in 0..<256 {
            let previous = tables[(slice - 1) * 256 + byte]
            tables.append(tables[Int(previous & 0xFF)] ^ (previous >> 8))
        }
    }
    return tables
}()

private enum ZipSignature {
    static let localHeader: UInt32 = 0x0403_4B50
    static let centralHeader: UInt32 = 0x0201_4B50
    static let endOfCentralDirectory: UInt32 = 0x0605_4B50
    static let zip64EndOfCentralDirectory: UInt32 = 0x0606_4B50
    static let zip64Locator: UInt32 = 0x0706_4B50
    static let dataDescriptor: UInt32 = 0x0807_4B50
}

/// A ZIP archive read from memory: uncompressed ("stored") entries, as `torch.save` writes,
/// and deflated ones when the caller brings an inflater (NumPy's `savez_compressed`).
///
/// The central directory is validated when the archive opens; an entry's local header,
/// bounds and CRC-32 are checked when the entry is read.
package struct ZipReader {
    package struct Entry {
        package let name: String
        let localHeaderOffset: Int
        package let compressedSize: Int
        package let size: Int
        package let method: Int
        let crc: UInt32
    }

    private let reader: ByteReader
    /// The entries in central-directory order.
    package let entries: [Entry]
    private let index: [String: Int]

    package init(_ data: Data, file: String) throws {
        reader = ByteReader(data, file: file)
        let (entryCount, directorySize, directoryOffset) = try Self.endOfCentralDirectory(reader)
        guard directoryOffset <= reader.count, directorySize <= reader.count - directoryOffset else {
            throw reader.error(
                "truncated ZIP central directory "
                    + "(\(directorySize) bytes at offset \(directoryOffset), file has \(reader.count))"
            )
        }
        var entries: [Entry] = []
        var index: [String: Int] = [:]
        var position = directoryOffset
        for _ in 0..<entryCount {
            let entry = try Self.centralEntry(reader, at: &position, end: directoryOffset + directorySize)
            guard index[entry.name] == nil else { throw reader.error("duplicate ZIP entry '\(entry.name)'") }
            index[entry.name] = entries.count
            entries.append(entry)
        }
        self.entries = entries
        self.index = index
    }

    /// Finds the end-of-central-directory record (ZIP64 when present):
    /// the entry count, and the central directory's size and offset.
    private static func endOfCentralDirectory(_ reader: ByteReader) throws -> (Int, Int, Int) {
        let minimumSize = 22
        // A file that starts like a ZIP but has no end record was most likely cut short.
        let startsLikeZip = (try? reader.uint32(at: 0, "signature")) == Int(ZipSignature.localHeader)
        let missing =
            startsLikeZip
            ? "truncated ZIP archive (no end of central directory record)"
            : "not a ZIP archive (no end of central directory record)"
        guard reader.count >= minimumSize else { throw reader.error(missing) }
        // The record ends the file unless a comment (at most 65535 bytes) follows it.
        let lowest = max(0, reader.count - minimumSize - 0xFFFF)
        var offset = reader.count - minimumSize
        while try reader.uint32(at: offset, "end of central directory") != ZipSignature.endOfCentralDirectory {
            guard offset > lowest else { throw reader.error(missing) }
            offset -= 1
        }
        var entryCount = try reader.uint16(at: offset + 10, "end of central directory")
        var size = try reader.uint32(at: offset + 12, "end of central directory")
        var directoryOffset = try reader.uint32(at: offset + 16, "end of central directory")
        let locator = offset - 20
        if locator >= 0, try reader.uint32(at: locator, "ZIP64 locator") == ZipSignature.zip64Locator {
            let record = try reader.uint64(at: locator + 8, "ZIP64 end of central directory offset")
            guard
                try reader.uint32(at: record, "ZIP64 end of central directory")
                    == ZipSignature.zip64EndOfCentralDirectory
            else { throw reader.error("bad ZIP64 end of central directory signature at offset \(record)") }
            entryCount = try reader.uint64(at: record + 32, "ZIP64 end of central directory")
            size = try reader.uint64(at: record + 40, "ZIP64 end of central directory")
            directoryOffset = try reader.uint64(at: record + 48, "ZIP64 end of central directory")
        }
        return (entryCount, size, directoryOffset)
    }

    private static func centralEntry(_ reader: ByteReader, at position: inout Int, end: Int) throws -> Entry {
        let what = "ZIP central directory"
        guard position <= end - 46 else { throw reader.error("truncated \(what)") }
        guard try reader.uint32(at: position, what) == ZipSignature.centralHeader else {
            throw reader.error("bad ZIP central directory signature at offset \(position)")
        }
        let method = try reader.uint16(at: position + 10, what)
        let crc = UInt32(try reader.uint32(at: position + 16, what))
        var compressedSize = try reader.uint32(at: position + 20, what)
        var size = try reader.uint32(at: position + 24, what)
        let nameLength = try reader.uint16(at: position + 28, what)
        let extraLength = try reader.uint16(at: position + 30, what)
        let commentLength = try reader.uint16(at: position + 32, what)
        var localHeaderOffset = try reader.uint32(at: position + 42, what)
        let recordEnd = position + 46 + nameLength + extraLength + commentLength
        guard recordEnd <= end else { throw reader.error("truncated \(what)") }
        let nameBytes = try reader.bytes(at: position + 46, count: nameLength, what)
        guard let name = String(bytes: nameBytes, encoding: .utf8) else {
            throw reader.error("ZIP entry name at offset \(position) is not UTF-8")
        }
        // ZIP64 extra field: 64-bit values for exactly the fields saturated at 0xFFFFFFFF, in this order.
        var extra = position + 46 + nameLength
        let extraEnd = extra + extraLength
        while extra + 4 <= extraEnd {
            let id = try reader.uint16(at: extra, what)
            let length = try reader.uint16(at: extra + 2, what)
            guard extra + 4 + length <= extraEnd else {
                throw reader.error("truncated extra field of ZIP entry '\(name)'")
            }
            if id == 0x0001 {
                var field = extra + 4
                if size == 0xFFFF_FFFF {
                    size = try reader.uint64(at: field, "ZIP64 field of '\(name)'")
                    field += 8
                }
                if compressedSize == 0xFFFF_FFFF {
                    compressedSize = try reader.uint64(at: field, "ZIP64 field of '\(name)'")
                    field += 8
                }
                if localHeaderOffset == 0xFFFF_FFFF {
                    localHeaderOffset = try reader.uint64(at: field, "ZIP64 field of '\(name)'")
                }
            }
            extra += 4 + length
        }
        position = recordEnd
        return Entry(
            name: name, localHeaderOffset: localHeaderOffset, compressedSize: compressedSize, size: size,
            method: method, crc: crc)
    }

    /// The entry named `name`, if present.
    func entry(_ name: String) -> Entry? { index[name].map { entries[$0] } }

    /// The bytes of entry `name`, checked against its CRC-32.
    ///
    /// Deflated entries (method 8) need `inflate`, which turns the compressed bytes into the
    /// given number of bytes (Torch itself links no zlib); without it only stored entries read.
    package func contents(of name: String, inflate: ((Data, Int) throws -> Data)? = nil) throws -> Data {
        guard let entry = entry(name) else { throw reader.error("missing ZIP entry '\(name)'") }
        let offset = entry.localHeaderOffset
        let what = "local header of ZIP entry '\(name)'"
        guard try reader.uint32(at: offset, what) == ZipSignature.localHeader else {
            throw reader.error("bad signature in the \(what) at offset \(offset)")
        }
        guard (entry.method == 8 && inflate != nil) || (entry.method == 0 && entry.compressedSize == entry.size) else {
            throw reader.error(
                "ZIP entry '\(name)' is compressed (method \(entry.method)); only stored entries are supported")
        }
        let nameLength = try reader.uint16(at: offset + 26, what)
        let extraLength = try reader.uint16(at: offset + 28, what)
        let stored = try reader.bytes(
            at: offset + 30 + nameLength + extraLength, count: entry.compressedSize, "data of ZIP entry '\(name)'")
        let data: Data
        if entry.method == 8, let inflate {
            data = try inflate(stored, entry.size)
        } else {
            data = stored
        }
        let actual = data.withUnsafeBytes { crc32($0) }
        guard actual == entry.crc else {
            throw reader.error(
                "CRC-32 mismatch in ZIP entry '\(name)' (stored \(hex(entry.crc)), computed \(hex(actual)))")
        }
        return data
    }

    private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
}

/// Writes a ZIP archive of stored entries in the layout of PyTorch's `PyTorchStreamWriter`
/// (miniz): each entry's data starts on a 64-byte boundary (an `FB` padding extra field),
/// sizes and CRC follow the data in a data descriptor, zeroed timestamps, and ZIP64
/// end records. Fixed timestamps make the output a deterministic function of the entries.
package struct ZipWriter {
    static let alignment = 64

    private struct CentralRecord {
        let name: [UInt8]
        let crc: UInt32
        let size: Int
        let localHeaderOffset: Int
        let flags: UInt16
    }

    private let output: AtomicFileWriter
    private var offset = 0
    private var records: [CentralRecord] = []
    private var combinedCRC: UInt32 = 0

    package init(writingTo output: AtomicFileWriter) { self.output = output }

    /// Appends a stored entry. Archives are limited to 4 GiB: larger ones need ZIP64 entry fields.
    package mutating func add(_ name: String, _ contents: [UInt8]) throws {
        let nameBytes = Array(name.utf8)
        guard offset + contents.count < 0xFFFF_FFFF - 0x1_0000 else {
            throw output.error("archives of 4 GiB or more are not supported yet")
        }
        let crc = contents.withUnsafeBytes { crc32($0) }
        // General-purpose flags: UTF-8 names (bit 11); a data descriptor follows the data
        // (bit 3), except after empty data, as miniz writes and torch.load's offset arithmetic expects.
        let flags: UInt16 = contents.isEmpty ? 0x0800 : 0x0808
        var header: [UInt8] = []
        header.appendLittleEndian(ZipSignature.localHeader)
        header.appendLittleEndian(UInt16(0))  // version needed, as miniz writes
        header.appendLittleEndian(flags)
        header.appendLittleEndian(UInt16(0))  // stored
        header.appendLittleEndian(UInt32(0))  // time and date
        header.append(contentsOf: [UInt8](repeating: 0, count: 12))  // CRC and sizes: in the descriptor (0 if empty)
        header.appendLittleEndian(UInt16(nameBytes.count))
        let unpadded = offset + 30 + nameBytes.count + 4
        let padding = (Self.alignment - unpadded % Self.alignment) % Self.alignment
        header.appendLittleEndian(UInt16(4 + padding))
        header.append(contentsOf: nameBytes)
        header.append(contentsOf: Array("FB".utf8))
        header.appendLittleEndian(UInt16(padding))
        header.append(contentsOf: [UInt8](repeating: UInt8(ascii: "Z"), count: padding))
        var descriptor: [UInt8] = []
        if !contents.isEmpty {
            descriptor.appendLittleEndian(ZipSignature.dataDescriptor)
            descriptor.appendLittleEndian(crc)
            descriptor.appendLittleEndian(UInt32(contents.count))
            descriptor.appendLittleEndian(UInt32(contents.count))
        }
        try output.write(header)
        try output.write(contents)
        try output.write(descriptor)
        combinedCRC = Swift.withUnsafeBytes(of: crc.littleEndian) { crc32($0, continuing: combinedCRC) }
        records.append(
            CentralRecord(name: nameBytes, crc: crc, size: contents.count, localHeaderOffset: offset, flags: flags))
        offset += header.count + contents.count + descriptor.count
    }

    /// A 40-digit decimal digest of the entries so far (the CRC-32 of their CRC-32s).
    var digest: String {
        let digits = String(combinedCRC)
        return String(repeating: "0", count: 40 - digits.count) + digits
    }

    /// Writes the central directory and the end records.
    package func finish() throws {
        var directory: [UInt8] = []
        for record in records {
            directory.appendLittleEndian(ZipSignature.centralHeader)
            directory.appendLittleEndian(UInt32(0))  // version made by, version needed
            directory.appendLittleEndian(record.flags)
            directory.appendLittleEndian(UInt16(0))  // stored
            directory.appendLittleEndian(UInt32(0))  // time and date
            directory.appendLittleEndian(record.crc)
            directory.appendLittleEndian(UInt32(record.size))
            directory.appendLittleEndian(UInt32(record.size))
            directory.appendLittleEndian(UInt16(record.name.count))
            directory.append(contentsOf: [UInt8](repeating: 0, count: 12))  // extra, comment, disk, attributes
            directory.appendLittleEndian(UInt32(record.localHeaderOffset))
            directory.append(contentsOf: record.name)
        }
        let zip64Record = offset + directory.count
        directory.appendLittleEndian(ZipSignature.zip64EndOfCentralDirectory)
        directory.appendLittleEndian(UInt64(44))  // size of the rest of this record
        directory.appendLittleEndian(UInt16(0x031E))  // made by: Unix, 3.0 (as miniz)
        directory.appendLittleEndian(UInt16(0x002D))  // needed: 4.5 (ZIP64)
        directory.appendLittleEndian(UInt64(0))  // this disk, directory's disk
        directory.appendLittleEndian(UInt64(records.count))
        directory.appendLittleEndian(UInt64(records.count))
        directory.appendLittleEndian(UInt64(zip64Record - offset))
        directory.appendLittleEndian(UInt64(offset))
        directory.appendLittleEndian(ZipSignature.zip64Locator)
        directory.appendLittleEndian(UInt32(0))
        directory.appendLittleEndian(UInt64(zip64Record))
        directory.appendLittleEndian(UInt32(1))  // total disks
        directory.appendLittleEndian(ZipSignature.endOfCentralDirectory)
        directory.appendLittleEndian(UInt32(0))  // disks
        // Counts past 16 bits saturate; readers take them from the ZIP64 record.
        directory.appendLittleEndian(UInt16(min(records.count, 0xFFFF)))
        directory.appendLittleEndian(UInt16(min(records.count, 0xFFFF)))
        directory.appendLittleEndian(UInt32(zip64Record - offset))
        directory.appendLittleEndian(UInt32(offset))
        directory.appendLittleEndian(UInt16(0))  // comment length
        try output.write(directory)
    }
}
