import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs one distributed job on this machine, as `torchrun --nproc-per-node N` does: starts `N`
/// worker processes of a program with the torchrun environment (`RANK`, `WORLD_SIZE`,
/// `LOCAL_RANK`, `MASTER_ADDR=127.0.0.1` and a free `MASTER_PORT`), waits for them, and when one
/// fails, kills the others (a survivor could otherwise wait on the dead one) and reports it.
public struct LocalLauncher: Sendable {
    /// A worker that failed, which ended the job.
    public struct WorkerFailure: Error, CustomStringConvertible, Sendable {
        /// The failed worker's rank.
        public let rank: Int
        /// Its exit status, or the signal that ended it.
        public let status: Int32
        /// Whether `status` is a signal number.
        public let signaled: Bool

        public var description: String {
            "worker rank \(rank) \(signaled ? "was killed by signal \(status)" : "exited with status \(status)"); "
                + "the other workers were stopped"
        }
    }

    /// The program each worker runs.
    public let executable: URL
    /// The workers' arguments (the same for every rank: the rank comes from the environment).
    public let arguments: [String]
    /// The number of workers.
    public let processCount: Int

    /// A job of `processCount` workers running `executable` with `arguments`.
    public init(executable: URL, arguments: [String], processCount: Int) {
        precondition(processCount > 0, "processCount must be positive")
        self.executable = executable
        self.arguments = arguments
        self.processCount = processCount
    }

    /// Starts the workers and returns when all have exited successfully.
    /// - Throws: `WorkerFailure` for the first worker seen failing (after stopping the others),
    ///   or the error of starting a worker.
    public func run() throws {
        let port = try Self.freePort()
        var workers: [Process] = []
        defer { Self.stop(workers) }
        for rank in 0..<processCount {
            let worker = Process()
            worker.executableURL = executable
            worker.arguments = arguments
            let position = DistributedEnvironment(
                rank: rank, worldSize: processCount, localRank: rank, masterAddress: "127.0.0.1", masterPort: port)
            worker.environment = ProcessInfo.processInfo.environment.merging(
                position.variables.merging(["LOCAL_WORLD_SIZE": String(processCount)]) { $1 }) { $1 }
            try Self.start(worker)
            workers.append(worker)
        }
        var running = Set(0..<processCount)
        while !running.isEmpty {
            for rank in running.sorted() where !workers[rank].isRunning {
                running.remove(rank)
                let worker = workers[rank]
                if worker.terminationReason != .exit || worker.terminationStatus != 0 {
                    throw WorkerFailure(
                        rank: rank, status: worker.terminationStatus, signaled: worker.terminationReason == .uncaughtSignal)
                }
            }
            usleep(20_000)
        }
    }

    /// Starts `worker` with no signal blocked: a child inherits the signal mask of the thread
    /// that spawns it, and pool threads (Dispatch's, Swift concurrency's) block SIGTERM, which
    /// would leave the worker deaf to `stop` and to a user's `kill`.
    private static func start(_ worker: Process) throws {
        var none = sigset_t()
        var saved = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        try worker.run()
    }

    /// Ends the workers still running: SIGTERM, then SIGKILL for those still there after a grace period.
    private static func stop(_ workers: [Process]) {
        let running = workers.filter(\.isRunning)
        guard !running.isEmpty else { return }
        running.forEach { $0.terminate() }
        let deadline = Date().addingTimeInterval(5)
        while running.contains(where: \.isRunning), Date() < deadline { usleep(20_000) }
        for worker in running where worker.isRunning { kill(worker.processIdentifier, SIGKILL) }
        running.forEach { $0.waitUntilExit() }
    }

    /// A TCP port on the loopback interface that nothing listens on now (the kernel's pick).
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
