import CZlib
import Foundation

/// Decompresses a raw deflate stream (no zlib or gzip wrapper, as ZIP entries store it) into
/// exactly `size` bytes with zlib; throws a `DataError` about `field` of `file` when the stream
/// is corrupt, ends early or holds another size.
func inflateRawDeflate(_ compressed: Data, size: Int, file: String, field: String) throws -> Data {
    var stream = z_stream()
    // Negative window bits: a raw deflate stream.
    guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        throw DataError(file: file, field: field, "zlib cannot start inflating")
    }
    defer { inflateEnd(&stream) }
    var output = Data(count: size + 1)  // one spare byte shows a stream longer than `size`
    let status = compressed.withUnsafeBytes { input in
        output.withUnsafeMutableBytes { out in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
            stream.avail_out = uInt(out.count)
            return inflate(&stream, Z_FINISH)
        }
    }
    guard status == Z_STREAM_END else {
        let fallback = status == Z_BUF_ERROR ? "the stream ends early" : "error \(status)"
        let reason = stream.msg.map { String(cString: $0) } ?? fallback
        throw DataError(file: file, field: field, "corrupt deflate stream: \(reason)")
    }
    guard Int(stream.total_out) == size else {
        throw DataError(file: file, field: field, "inflates to \(stream.total_out) bytes, not the \(size) recorded")
    }
    return output.prefix(size)
}

/// `bytes` gzip-compressed with zlib (the default level), for `.nii.gz` files; throws a
/// `DataError` about `file` if zlib fails.
func gzipCompress(_ bytes: [UInt8], file: String) throws -> [UInt8] {
    var stream = z_stream()
    // Window bits 15 + 16: a gzip wrapper around the deflate stream.
    guard
        deflateInit2_(
            &stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size)) == Z_OK
    else { throw DataError(file: file, "zlib cannot start compressing") }
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
    let status = bytes.withUnsafeBytes { input in
        output.withUnsafeMutableBytes { out in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
            stream.avail_out = uInt(out.count)
            return deflate(&stream, Z_FINISH)
        }
    }
    guard status == Z_STREAM_END else { throw DataError(file: file, "zlib compression failed (status \(status))") }
    return Array(output.prefix(Int(stream.total_out)))
}
