import CHDF5

/// An HDF5 identifier (file, dataset, dataspace, type, attribute or property list) that this
/// process owns; it is closed when the last reference goes away, so early exits never leak it.
final class HDF5Object {
    let id: hid_t
    private let closer: (hid_t) -> herr_t
    private var isOpen = true

    /// Takes ownership of `id`, which `closer` (`H5Dclose`, `H5Sclose`, ...) releases.
    init(_ id: hid_t, closer: @escaping (hid_t) -> herr_t) {
        self.id = id
        self.closer = closer
    }

    /// Closes the identifier now; returns whether HDF5 reported success.
    @discardableResult
    func close() -> Bool {
        guard isOpen else { return true }
        isOpen = false
        return closer(id) >= 0
    }

    deinit { close() }
}

/// HDF5's error stack, read into `DataError` messages instead of printed.
enum HDF5ErrorStack {
    /// Stops HDF5 printing its error stack to stderr on the calling thread. Thread-safe HDF5
    /// builds (Debian's) keep this setting per thread, so every entry point calls it: data
    /// loaders read files from worker threads.
    static func silence() {
        H5Eset_auto2(chdf5_e_default(), nil, nil)
    }

    /// The innermost (most specific) message on the calling thread's error stack, which is
    /// then cleared; `nil` when the stack is empty.
    static func takeInnermostMessage() -> String? {
        var messages: [String] = []
        withUnsafeMutablePointer(to: &messages) { pointer in
            _ = H5Ewalk2(chdf5_e_default(), H5E_WALK_UPWARD, { _, error, context in
                if let error, let description = error.pointee.desc, let context {
                    context.assumingMemoryBound(to: [String].self).pointee.append(String(cString: description))
                }
                return 0
            }, pointer)
        }
        H5Eclear2(chdf5_e_default())
        return messages.first
    }
}
