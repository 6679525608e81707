import Foundation
import Torch

/// Writes `bytes` to `destination` through Torch's `AtomicFileWriter` (temporary file, synced,
/// renamed into place), reporting failures as `DataError`s.
func writeAtomically(_ bytes: [UInt8], to destination: URL) throws {
    try asDataError { try AtomicFileWriter.write(to: destination) { try $0.write(bytes) } }
}

/// Runs `body`, turning the `SerializationError`s of Torch's file helpers into `DataError`s
/// (naming `field` when given).
func asDataError<Result>(field: String? = nil, _ body: () throws -> Result) throws -> Result {
    do {
        return try body()
    } catch let error as SerializationError {
        throw DataError(file: error.file, field: field, error.problem)
    }
}

/// The contents of the file at `url`, or a `DataError` naming it.
func readBytes(of url: URL) throws -> Data {
    do {
        return try Data(contentsOf: url, options: .mappedIfSafe)
    } catch {
        throw DataError(file: url.path, "cannot read: \(error.localizedDescription)")
    }
}

/// The bytes `shape` of `elementSize`-byte elements fill, or `nil` when that overflows
/// (sizes from a file header can be anything).
func byteCount(of shape: [Int], elementSize: Int) -> Int? {
    var total = elementSize
    for size in shape {
        let (product, overflow) = total.multipliedReportingOverflow(by: size)
        guard !overflow else { return nil }
        total = product
    }
    return total
}

/// `tensor` with its axes in reverse order, contiguous.
///
/// Column-major files (NIfTI, BART, Fortran-order NumPy) store the first index fastest: their
/// bytes read as a row-major tensor of the reversed shape, and reversing the axes gives
/// `t[i, j, k] = element (i, j, k)`. The same turn makes a tensor's bytes column-major.
func reversingAxes(_ tensor: Tensor) -> Tensor {
    tensor.permute(Array((0..<tensor.rank).reversed())).contiguous()
}

/// The text a C library wrote into `buffer`, up to its NUL terminator (the whole buffer when
/// it has none), decoded as UTF-8.
func decodedCString(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
