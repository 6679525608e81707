import CTorch

/// A group of processes that exchange tensors: libtorch's c10d with a TCP-store rendezvous
/// hosted by rank 0, and Gloo collectives (CPU tensors).
///
/// Every rank must call the same collectives in the same order with tensors of the same
/// shapes. A peer that dies or stalls makes the pending collective throw within `timeout`,
/// so a broken job ends instead of hanging.
///
/// ```swift
/// if let position = try DistributedEnvironment(ProcessInfo.processInfo.environment) {
///     let group = try ProcessGroup(position)
///     try group.allReduce_(gradients, average: true)
/// }
/// ```
public final class ProcessGroup {
    /// The communication library collectives run on.
    public enum Backend: String, Sendable {
        /// Gloo: CPU tensors over TCP.
        case gloo
        /// NCCL: CUDA tensors (not built into MRIKit yet: creating a group with it throws).
        case nccl
    }

    /// This process's rank, `0..<worldSize`.
    public let rank: Int
    /// The number of processes.
    public let worldSize: Int
    /// The collectives' library.
    public let backend: Backend
    /// How long a collective (or joining) waits for its peers before failing.
    public let timeout: Duration
    /// The largest flat buffer a list of tensors travels in (bytes; PyTorch DDP's default
    /// `bucket_cap_mb` is 25 MiB).
    public var bucketCapacity = 25 << 20

    let handle: mt_process_group

    /// Joins the group as `rank` of `worldSize`, meeting at rank 0's store on
    /// `masterAddress:masterPort`; returns once every rank has joined.
    /// - Throws: `DistributedError.communication` when the rendezvous fails or times out, or
    ///   the backend is not available.
    public init(
        rank: Int, worldSize: Int, masterAddress: String, masterPort: Int, backend: Backend = .gloo,
        timeout: Duration = .seconds(300)
    ) throws {
        var handle: mt_process_group?
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        let status = mt_process_group_new(
            backend.rawValue, masterAddress, Int32(masterPort), Int32(rank), Int32(worldSize), milliseconds, &handle)
        guard status == 0, let handle else { throw Self.failure("rendezvous", rank: rank) }
        self.handle = handle
        self.rank = rank
        self.worldSize = worldSize
        self.backend = backend
        self.timeout = timeout
    }

    /// Joins the group at the position `environment` describes.
    public convenience init(_ environment: DistributedEnvironment, backend: Backend = .gloo, timeout: Duration = .seconds(300))
        throws
    {
        try self.init(
            rank: environment.rank, worldSize: environment.worldSize, masterAddress: environment.masterAddress,
            masterPort: environment.masterPort, backend: backend, timeout: timeout)
    }

    deinit { mt_process_group_free(handle) }

    /// Replaces each tensor by its sum over all ranks (or with `average`, the mean), in place.
    public func allReduce_(_ tensors: [Tensor], average: Bool = false) throws {
        try run("all-reduce", tensors) { mt_process_group_all_reduce(handle, $0, $1, average, Int64(bucketCapacity)) }
    }

    /// Replaces each tensor by rank `root`'s, in place.
    public func broadcast_(_ tensors: [Tensor], root: Int = 0) throws {
        try run("broadcast", tensors) { mt_process_group_broadcast(handle, $0, $1, Int32(root), Int64(bucketCapacity)) }
    }

    /// Returns once every rank has called it.
    public func barrier() throws {
        guard mt_process_group_barrier(handle) == 0 else { throw Self.failure("barrier", rank: rank) }
    }

    private func run(_ operation: String, _ tensors: [Tensor], _ body: (UnsafePointer<mt_tensor?>, Int64) -> mt_status)
        throws
    {
        guard !tensors.isEmpty else { return }
        let handles: [mt_tensor?] = tensors.map(\.handle)
        let status = handles.withUnsafeBufferPointer { body($0.baseAddress!, Int64($0.count)) }
        // Keeps the tensors alive until the shim has written into them.
        withExtendedLifetime(tensors) {}
        guard status == 0 else { throw Self.failure(operation, rank: rank) }
    }

    /// The shim's recorded failure as a `DistributedError`.
    private static func failure(_ operation: String, rank: Int) -> DistributedError {
        let message = mt_last_error().map { String(cString: $0) } ?? "unknown failure"
        mt_clear_error()
        return .communication(operation: operation, rank: rank, message: message)
    }
}
