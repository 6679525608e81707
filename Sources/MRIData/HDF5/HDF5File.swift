import CHDF5
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An HDF5 file, as h5py and the fastMRI dataset write them: datasets read whole or one slice
/// at a time, datasets written with optional chunking and gzip, and scalar attributes.
///
/// `init(reading:)` opens a file read-only. `create(at:_:)` writes a new file and
/// `update(at:_:)` changes an existing one; both work on a temporary file in the destination's
/// directory that replaces the destination only once the body has returned and the file is
/// closed, so a failure or a crash never leaves a half-written file. Every failure throws
/// `DataError` naming the file and the dataset or attribute, with HDF5's own reason; HDF5's
/// printing of its error stack to stderr is turned off.
///
/// Reading from several threads at once is safe: Debian's HDF5 is built thread-safe (one
/// library-wide lock).
public final class HDF5File: @unchecked Sendable {
    /// The file's path (for a file being written, the destination's).
    public let path: String
    let handle: HDF5Object

    /// Opens the HDF5 file at `path` read-only.
    public convenience init(reading path: String) throws {
        try self.init(path: path, opening: path, writable: false)
    }

    /// Opens `actualPath`, naming `path` in errors.
    private init(path: String, opening actualPath: String, writable: Bool) throws {
        HDF5ErrorStack.silence()
        self.path = path
        guard FileManager.default.fileExists(atPath: actualPath) else {
            throw DataError(file: path, "no such file")
        }
        let id = H5Fopen(actualPath, writable ? chdf5_acc_rdwr() : chdf5_acc_rdonly(), chdf5_p_default())
        guard id >= 0 else {
            throw DataError(file: path, HDF5File.reason("is not a readable HDF5 file"))
        }
        handle = HDF5Object(id, closer: H5Fclose)
    }

    /// Creates an empty `actualPath`, naming `path` in errors.
    private init(path: String, creating actualPath: String) throws {
        HDF5ErrorStack.silence()
        self.path = path
        let id = H5Fcreate(actualPath, chdf5_acc_excl(), chdf5_p_default(), chdf5_p_default())
        guard id >= 0 else { throw DataError(file: path, HDF5File.reason("cannot be created")) }
        handle = HDF5Object(id, closer: H5Fclose)
    }

    /// Writes a new HDF5 file at `path` with `body`, replacing any file there only when `body`
    /// returns; if it throws, the destination is left as it was.
    public static func create(at path: String, _ body: (HDF5File) throws -> Void) throws {
        try writeAtomically(to: path, body) { try HDF5File(path: path, creating: $0) }
    }

    /// Changes the existing HDF5 file at `path` with `body`, working on a copy that replaces
    /// the file only when `body` returns; if it throws, the file is left as it was.
    public static func update(at path: String, _ body: (HDF5File) throws -> Void) throws {
        try writeAtomically(to: path, body) { temporary in
            do {
                try FileManager.default.copyItem(atPath: path, toPath: temporary)
            } catch {
                throw DataError(file: path, "cannot be copied for updating: \(error.localizedDescription)")
            }
            return try HDF5File(path: path, opening: temporary, writable: true)
        }
    }

    /// Runs `body` on the file `open` makes at a temporary path next to `path`, then closes it
    /// and lets `AtomicFileWriter` sync and rename it over `path` (removing it on any failure).
    private static func writeAtomically(
        to path: String, _ body: (HDF5File) throws -> Void, open: (String) throws -> HDF5File
    ) throws {
        try asDataError {
            try AtomicFileWriter.withTemporaryPath(for: URL(fileURLWithPath: path)) { temporary in
                let file = try open(temporary)
                try body(file)
                guard H5Fflush(file.handle.id, H5F_SCOPE_GLOBAL) >= 0, file.handle.close() else {
                    throw DataError(file: path, reason("cannot be written"))
                }
            }
        }
    }

    /// Whether the file has a dataset or group at `name` (a path such as `kspace` or `a/b`).
    public func contains(_ name: String) -> Bool {
        HDF5ErrorStack.silence()
        let exists = H5Lexists(handle.id, name, chdf5_p_default()) > 0
        H5Eclear2(chdf5_e_default())
        return exists
    }

    /// `problem`, followed by HDF5's innermost reason when its error stack has one.
    static func reason(_ problem: String) -> String {
        guard let detail = HDF5ErrorStack.takeInnermostMessage() else { return problem }
        return "\(problem) (HDF5: \(detail))"
    }

    /// An error about `field` of this file, with HDF5's reason appended.
    func error(_ field: String?, _ problem: String) -> DataError {
        DataError(file: path, field: field, HDF5File.reason(problem))
    }
}
