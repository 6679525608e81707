import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a file through a temporary file in the same directory, renamed over the
/// destination only when complete, so a crash never leaves a half-written file.
///
/// Every writer in MRIKit goes through it: checkpoints, logs, images and data files (C libraries
/// that open files by path write to `withTemporaryPath`'s path).
public final class AtomicFileWriter {
    /// The file being written.
    public let destination: URL
    private let temporary: URL
    private let handle: FileHandle

    /// Writes `destination` with `body`; on any error the temporary file is removed
    /// and the destination is left as it was.
    public static func write(to destination: URL, _ body: (AtomicFileWriter) throws -> Void) throws {
        let writer = try AtomicFileWriter(destination: destination)
        do {
            try body(writer)
            try writer.commit()
        } catch {
            try? writer.handle.close()
            try? FileManager.default.removeItem(at: writer.temporary)
            throw error
        }
    }

    /// Writes `bytes` to `destination` atomically.
    public static func write(_ bytes: [UInt8], to destination: URL) throws {
        try write(to: destination) { try $0.write(bytes) }
    }

    /// Calls `body` with the path of a temporary file next to `destination` for a library that
    /// writes files by path (HDF5, libpng, ...), then flushes it to disk and renames it over
    /// `destination`. On any error the temporary file is removed and `destination` is untouched.
    public static func withTemporaryPath(for destination: URL, _ body: (String) throws -> Void) throws {
        let temporary = temporaryURL(for: destination)
        do {
            try body(temporary.path)
            let descriptor = open(temporary.path, O_RDONLY)
            guard descriptor >= 0 else {
                throw SerializationError(file: destination.path, "the writer did not create the file")
            }
            // Synced before the rename, so the rename never publishes a file still in the page cache.
            let synced = fsync(descriptor) == 0
            let syncError = errno
            close(descriptor)
            guard synced else {
                throw SerializationError(
                    file: destination.path, "cannot be synced to disk: \(String(cString: strerror(syncError)))")
            }
            guard rename(temporary.path, destination.path) == 0 else {
                throw SerializationError(
                    file: destination.path,
                    "cannot rename the temporary file into place: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    private static func temporaryURL(for destination: URL) -> URL {
        destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tmp")
    }

    private init(destination: URL) throws {
        self.destination = destination
        temporary = Self.temporaryURL(for: destination)
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary.path)
        else {
            throw SerializationError(file: destination.path, "cannot create a temporary file in its directory")
        }
        self.handle = handle
    }

    /// An error about the destination file.
    public func error(_ problem: String) -> SerializationError { SerializationError(file: destination.path, problem) }

    /// Appends `bytes` to the temporary file.
    public func write(_ bytes: [UInt8]) throws {
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw self.error("write failed: \(error.localizedDescription)")
        }
    }

    private func commit() throws {
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw self.error("write failed: \(error.localizedDescription)")
        }
        guard rename(temporary.path, destination.path) == 0 else {
            throw self.error("cannot rename the temporary file into place: \(String(cString: strerror(errno)))")
        }
    }
}
