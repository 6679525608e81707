import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A file mapped read-only into memory (`mmap`), unmapped when the value is released.
///
/// Readers of uncompressed volumes decode straight from the page cache with it, as nibabel's
/// memory-mapped arrays do, instead of first copying the file into a buffer.
final class MappedFile {
    /// The whole file, valid while this object lives.
    let bytes: UnsafeRawBufferPointer

    /// Maps `path`; throws a `DataError` naming the file when it cannot be opened or mapped.
    init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw DataError(file: path, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw DataError(file: path, "cannot stat: \(String(cString: strerror(errno)))")
        }
        let size = Int(status.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        // Populated: the whole file is about to be read, so its pages are mapped in one go
        // rather than fault by fault.
        let flags = MAP_PRIVATE | MAP_POPULATE
        guard let address = mmap(nil, size, PROT_READ, flags, descriptor, 0), address != MAP_FAILED else {
            throw DataError(file: path, "cannot map into memory: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let address = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: address), bytes.count) }
    }
}
