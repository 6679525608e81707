import Foundation

/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON
/// header mapping each tensor name to its dtype, shape and byte range, then the raw
/// little-endian row-major data. No code runs on load, and each tensor's bytes are
/// checked to lie inside the file.
public enum SafeTensors {
    /// safetensors dtype codes. The format has no complex128 (only `C64`).
    static let dtypeCodes: [(code: String, dtype: DType)] = [
        ("BOOL", .bool), ("U8", .uint8), ("I8", .int8), ("I16", .int16), ("I32", .int32), ("I64", .int64),
        ("F16", .float16), ("BF16", .bfloat16), ("F32", .float32), ("F64", .float64), ("C64", .complex64),
    ]

    /// The key of the free-form string metadata in the header.
    static let metadataKey = "__metadata__"

    /// Reads the tensors and the string metadata of a `.safetensors` file.
    ///
    /// Tensors come in the order of their data in the file (what `safetensors` writes
    /// sorted by dtype size, then name), dense and on the CPU.
    /// - Throws: `SerializationError` naming the file and the problem when the header is
    ///   malformed, a dtype is unknown or unsupported, or a byte range is wrong.
    public static func read(from url: URL) throws -> (tensors: StateDict, metadata: [String: String]) {
        let reader = ByteReader(try readFileContents(url), file: url.path)
        let headerLength = try reader.uint64(at: 0, "safetensors header length")
        guard headerLength <= reader.count - 8 else {
            throw reader.error("header length \(headerLength) exceeds file size \(reader.count)")
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: try reader.bytes(at: 8, count: headerLength, "header"))
        } catch {
            throw reader.error("header is not valid JSON")
        }
        guard let header = json as? [String: Any] else { throw reader.error("header is not a JSON object") }
        let dataStart = 8 + headerLength
        let dataSize = reader.count - dataStart
        var metadata: [String: String] = [:]
        var entries: [(name: String, dtype: DType, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in header {
            if name == metadataKey {
                guard let strings = value as? [String: String] else {
                    throw reader.error("\(metadataKey) is not an object of strings")
                }
                metadata = strings
                continue
            }
            guard let fields = value as? [String: Any] else {
                throw reader.error("tensor '\(name)': entry is not an object")
            }
            guard let code = fields["dtype"] as? String else { throw reader.error("tensor '\(name)': missing dtype") }
            guard let dtype = dtypeCodes.first(where: { $0.code == code })?.dtype else {
                throw reader.error("tensor '\(name)': unknown or unsupported dtype '\(code)'")
            }
            guard let shape = integers(fields["shape"]), let count = StorageLayout.elementCount(shape) else {
                throw reader.error("tensor '\(name)': shape is not a list of non-negative integers")
            }
            guard let offsets = integers(fields["data_offsets"]), offsets.count == 2 else {
                throw reader.error("tensor '\(name)': data_offsets is not a pair of integers")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= dataSize else {
                throw reader.error(
                    "tensor '\(name)' data range [\(begin), \(end)) outside the data section of \(dataSize) bytes")
            }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.elementSize)
            guard !overflow, end - begin == bytes else {
                throw reader.error(
                    "tensor '\(name)' data range [\(begin), \(end)) holds \(end - begin) bytes, "
                        + "shape \(shape) of \(dtype) needs \(count &* dtype.elementSize)"
                )
            }
            entries.append((name, dtype, shape, begin, end))
        }
        var tensors = StateDict()
        for entry in entries.sorted(by: { ($0.begin, $0.name) < ($1.begin, $1.name) }) {
            let data = try reader.bytes(
                at: dataStart + entry.begin, count: entry.end - entry.begin, "data of '\(entry.name)'")
            tensors[entry.name] = data.withUnsafeBytes { Tensor(bytes: $0, shape: entry.shape, dtype: entry.dtype) }
        }
        return (tensors, metadata)
    }

    /// Reads the tensors of a `.safetensors` file; see `read(from:)`.
    public static func load(from url: URL) throws -> StateDict { try read(from: url).tensors }

    /// Reads the tensors of a `.safetensors` file at `path`; see `read(from:)`.
    public static func load(fromPath path: String) throws -> StateDict { try load(from: URL(fileURLWithPath: path)) }

    /// JSON integers (JSONSerialization gives NSNumbers; fractional or boolean values are rejected).
    private static func integers(_ value: Any?) -> [Int]? {
        guard let numbers = value as? [NSNumber] else { return nil }
        var result: [Int] = []
        for number in numbers {
            guard let integer = Int(exactly: number.doubleValue), number.stringValue == String(integer) else {
                return nil
            }
            result.append(integer)
        }
        return result
    }

    /// Writes `tensors` (in their order) with string `metadata` as a `.safetensors` file,
    /// atomically (temporary file, then rename). The header is padded with spaces so the
    /// data starts 8-byte aligned, as the `safetensors` library does.
    /// - Throws: `SerializationError` for a dtype the format lacks (complex128), or if the write fails.
    public static func save(_ tensors: StateDict, to url: URL, metadata: [String: String] = [:]) throws {
        var header = "{"
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            fields.append("\(jsonString(metadataKey)):{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for (name, tensor) in tensors {
            guard let code = dtypeCodes.first(where: { $0.dtype == tensor.dtype })?.code else {
                throw SerializationError(file: url.path, "tensor '\(name)': safetensors has no \(tensor.dtype) dtype")
            }
            let bytes = tensor.count * tensor.dtype.elementSize
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append(
                "\(jsonString(name)):{\"dtype\":\"\(code)\",\"shape\":[\(shape)],"
                    + "\"data_offsets\":[\(offset),\(offset + bytes)]}"
            )
            offset += bytes
        }
        header += fields.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        headerBytes += [UInt8](repeating: UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8)
        var prefix: [UInt8] = []
        prefix.appendLittleEndian(UInt64(headerBytes.count))
        try AtomicFileWriter.write(to: url) { output in
            try output.write(prefix + headerBytes)
            for (_, tensor) in tensors { try output.write(tensor.toBytes()) }
        }
    }

    /// Writes a `.safetensors` file at `path`; see `save(_:to:metadata:)`.
    public static func save(_ tensors: StateDict, toPath path: String, metadata: [String: String] = [:]) throws {
        try save(tensors, to: URL(fileURLWithPath: path), metadata: metadata)
    }

    /// `text` as a JSON string literal.
    private static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
