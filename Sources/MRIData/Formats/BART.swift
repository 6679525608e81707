import Foundation

/// BART's array files: `<name>.hdr` (text, the dims after a `# Dimensions` line) and
/// `<name>.cfl` (raw little-endian complex64, first dimension fastest). Read and written by
/// hand: BART ships no library for them, and the format is these two lines and raw bytes.
///
/// Layout: `tensor[i, j, k, ...]` is BART's element (i, j, k, ...), so the tensor's shape is
/// BART's dims, with trailing singleton dims dropped as BART's Python `readcfl` does.
public enum BARTFile {
    /// Reads `<base>.hdr` and `<base>.cfl`; `url` may name either file or the base name.
    ///
    /// Throws `DataError` naming the `.hdr` file and `Dimensions` for a missing or malformed
    /// header, and the `.cfl` file and `data` when its size does not match the dims.
    public static func read(from url: URL) throws -> Tensor {
        let (header, data) = files(url)
        let text = String(decoding: try readBytes(of: header), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let marker = lines.firstIndex(of: "# Dimensions"), marker + 1 < lines.count else {
            throw DataError(file: header.path, field: "Dimensions", "no '# Dimensions' line followed by the dims")
        }
        let words = lines[marker + 1].split(separator: " ")
        let dims = words.compactMap { Int($0) }
        guard !dims.isEmpty, dims.count == words.count, dims.allSatisfy({ $0 >= 1 }) else {
            throw DataError(
                file: header.path, field: "Dimensions", "'\(lines[marker + 1])' is not a list of positive sizes")
        }
        let bytes = try readBytes(of: data)
        guard let needed = byteCount(of: dims, elementSize: 8), needed == bytes.count else {
            throw DataError(
                file: data.path, field: "data",
                "dims \(dims) of complex64 need "
                    + "\(byteCount(of: dims, elementSize: 8).map(String.init) ?? "too many") bytes, "
                    + "the file holds \(bytes.count)")
        }
        var shape = dims
        while shape.count > 1, shape.last == 1 { shape.removeLast() }
        return reversingAxes(bytes.withUnsafeBytes { Tensor(bytes: $0, shape: shape.reversed(), dtype: .complex64) })
    }

    /// Writes `tensor` (complex, or real and converted to complex64) as `<base>.cfl` and
    /// `<base>.hdr`, each atomically; `url` may name either file or the base name.
    public static func write(_ tensor: Tensor, to url: URL) throws {
        let (header, data) = files(url)
        let shape = tensor.rank == 0 ? [1] : tensor.shape
        let values = tensor.to(device: .cpu, dtype: .complex64).reshape(shape)
        try writeAtomically(reversingAxes(values).toBytes(), to: data)
        let dims = shape.map(String.init).joined(separator: " ")
        try writeAtomically(Array("# Dimensions\n\(dims)\n".utf8), to: header)
    }

    /// The `.hdr` and `.cfl` files of `url`.
    private static func files(_ url: URL) -> (header: URL, data: URL) {
        let base = ["cfl", "hdr"].contains(url.pathExtension) ? url.deletingPathExtension() : url
        return (base.appendingPathExtension("hdr"), base.appendingPathExtension("cfl"))
    }
}
