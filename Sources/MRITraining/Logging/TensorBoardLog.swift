import Foundation
import Synchronization

/// Scalars in a TensorBoard event file (`events.out.tfevents.<time>.<host>.<pid>.<n>`), as PyTorch's
/// `SummaryWriter.add_scalar` writes them: `train/loss`, `train/lr` and `val/<metric>` per epoch.
///
/// The file is TFRecord-framed `Event` protocol buffers (length, masked CRC-32C of the length,
/// payload, masked CRC-32C of the payload), flushed after every epoch. Written by hand because no
/// Debian library writes TensorBoard events and the format is a few fields of two messages.
public final class TensorBoardLog: TrainingObserver {
    /// The event file's path.
    public let path: String
    private let handle: FileHandle
    private static let opened = Atomic<Int>(0)

    /// An event file in `directory` (created if missing), begun with the file-version event.
    public init(directory: String, wallTime: Double = Date().timeIntervalSince1970) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // TensorFlow's naming: time, host, process and a per-process counter, so two logs opened in
        // the same second (a resumed run) never overwrite each other.
        let host = ProcessInfo.processInfo.hostName
        let process = ProcessInfo.processInfo.processIdentifier
        let serial = Self.opened.add(1, ordering: .relaxed).oldValue
        path = URL(fileURLWithPath: directory)
            .appendingPathComponent("events.out.tfevents.\(Int(wallTime)).\(host).\(process).\(serial)").path
        guard !FileManager.default.fileExists(atPath: path), FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path)
        else { throw TrainingError.configuration(field: "tensorboard directory", allowed: "a writable directory, got \(directory)") }
        self.handle = handle
        try handle.write(contentsOf: Self.record(Self.fileVersionEvent(wallTime: wallTime)))
    }

    deinit { try? handle.close() }

    /// Appends a scalar `value` named `tag` at `step`.
    public func addScalar(_ tag: String, _ value: Double, step: Int, wallTime: Double = Date().timeIntervalSince1970) throws {
        try handle.write(contentsOf: Self.record(Self.scalarEvent(tag: tag, value: Float(value), step: step, wallTime: wallTime)))
    }

    public func trainingDidFinishEpoch(_ record: EpochRecord, history: TrainingHistory) throws {
        try addScalar("train/loss", record.trainingLoss, step: record.epoch)
        try addScalar("train/lr", record.learningRate, step: record.epoch)
        for (name, value) in (record.metrics ?? [:]).sorted(by: { $0.key < $1.key }) {
            try addScalar("val/\(name)", value, step: record.epoch)
        }
        try handle.synchronize()
    }

    // MARK: Encoding

    /// `Event { wall_time = 1 (double); file_version = 3 (string); source_metadata = 10 { writer = 1 } }`.
    static func fileVersionEvent(wallTime: Double, writer: String = "mrikit") -> [UInt8] {
        var source = ProtocolBuffer()
        source.string(field: 1, writer)
        var event = ProtocolBuffer()
        event.double(field: 1, wallTime)
        event.string(field: 3, "brain.Event:2")
        event.message(field: 10, source.bytes)
        return event.bytes
    }

    /// `Event { wall_time = 1; step = 2; summary = 5 { value = 1 { tag = 1; simple_value = 2 (float) } } }`.
    static func scalarEvent(tag: String, value: Float, step: Int, wallTime: Double) -> [UInt8] {
        var summaryValue = ProtocolBuffer()
        summaryValue.string(field: 1, tag)
        summaryValue.float(field: 2, value)
        var summary = ProtocolBuffer()
        summary.message(field: 1, summaryValue.bytes)
        var event = ProtocolBuffer()
        event.double(field: 1, wallTime)
        if step != 0 { event.varint(field: 2, UInt64(bitPattern: Int64(step))) }
        event.message(field: 5, summary.bytes)
        return event.bytes
    }

    /// A TFRecord: little-endian length, its masked CRC, the payload, the payload's masked CRC.
    static func record(_ payload: [UInt8]) -> [UInt8] {
        let length = littleEndian(UInt64(payload.count))
        return length + littleEndian(maskedCRC32C(length)) + payload + littleEndian(maskedCRC32C(payload))
    }

    /// TFRecord's masking of CRC-32C, so CRCs of data holding CRCs stay well distributed.
    static func maskedCRC32C(_ bytes: [UInt8]) -> UInt32 {
        let crc = CRC32C.checksum(bytes)
        return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}

/// The protocol-buffer wire encoding of the few field kinds an event needs.
struct ProtocolBuffer {
    private(set) var bytes: [UInt8] = []

    mutating func varint(field: Int, _ value: UInt64) {
        key(field, wireType: 0)
        appendVarint(value)
    }

    mutating func double(field: Int, _ value: Double) {
        key(field, wireType: 1)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
    }

    mutating func float(field: Int, _ value: Float) {
        key(field, wireType: 5)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
    }

    mutating func string(field: Int, _ value: String) { message(field: field, Array(value.utf8)) }

    mutating func message(field: Int, _ value: [UInt8]) {
        key(field, wireType: 2)
        appendVarint(UInt64(value.count))
        bytes += value
    }

    private mutating func key(_ field: Int, wireType: UInt64) { appendVarint(UInt64(field) << 3 | wireType) }

    private mutating func appendVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }
}

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), table-driven.
enum CRC32C {
    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        return crc
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        ~bytes.reduce(~UInt32(0)) { crc, byte in table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    }
}
