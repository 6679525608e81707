import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a file through a temporary file in the same directory, renamed over the
/// destination only when complete, so a crash never leaves a half-written file.
package final class AtomicFileWriter {
    package let destination: URL
    private let temporary: URL
    private let handle: FileHandle

    /// Writes `destination` with `body`; on any error the temporary file is removed
    /// and the destination is left as it was.
    package static func write(to destination: URL, _ body: (AtomicFileWriter) throws -> Void) throws {
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

    private init(destination: URL) throws {
        self.destination = destination
        let name = ".\(destination.lastPathComponent).\(UUID().uuidString).tmp"
        temporary = destination.deletingLastPathComponent().appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary.path)
        else {
            throw SerializationError(file: destination.path, "cannot create a temporary file in its directory")
        }
        self.handle = handle
    }

    /// An error about the destination file.
    package func error(_ problem: String) -> SerializationError { SerializationError(file: destination.path, problem) }

    package func write(_ bytes: [UInt8]) throws {
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
