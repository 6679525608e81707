/// Where this process sits in a distributed job, read from the environment variables that
/// torchrun, SLURM wrappers and Kubernetes' PyTorchJob set: `RANK`, `WORLD_SIZE`, `LOCAL_RANK`,
/// `MASTER_ADDR` and `MASTER_PORT`.
public struct DistributedEnvironment: Equatable, Sendable {
    /// This process's rank, `0..<worldSize`.
    public var rank: Int
    /// The number of processes in the job.
    public var worldSize: Int
    /// This process's rank on its machine (which accelerator it should use).
    public var localRank: Int
    /// The host of rank 0, which hosts the rendezvous store.
    public var masterAddress: String
    /// The rendezvous store's TCP port.
    public var masterPort: Int

    /// A job position given directly.
    public init(rank: Int, worldSize: Int, localRank: Int, masterAddress: String, masterPort: Int) {
        self.rank = rank
        self.worldSize = worldSize
        self.localRank = localRank
        self.masterAddress = masterAddress
        self.masterPort = masterPort
    }

    /// The job position in `environment`, or nil when it names none (`WORLD_SIZE` unset: a
    /// single-process run). `LOCAL_RANK` defaults to `RANK`, `MASTER_ADDR` to `127.0.0.1`.
    /// - Throws: `DistributedError.environment` naming the variable that is missing or malformed.
    public init?(_ environment: [String: String]) throws {
        guard environment["WORLD_SIZE"] != nil else { return nil }
        func integer(_ name: String, in range: ClosedRange<Int>, default value: Int? = nil) throws -> Int {
            guard let text = environment[name] else {
                guard let value else { throw DistributedError.environment(variable: name, reason: "is not set") }
                return value
            }
            guard let number = Int(text), range.contains(number) else {
                throw DistributedError.environment(
                    variable: name, reason: "is '\(text)', not an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return number
        }
        worldSize = try integer("WORLD_SIZE", in: 1...Int(Int32.max))
        rank = try integer("RANK", in: 0...(worldSize - 1))
        localRank = try integer("LOCAL_RANK", in: 0...(worldSize - 1), default: rank)
        masterAddress = environment["MASTER_ADDR"] ?? "127.0.0.1"
        guard !masterAddress.isEmpty else {
            throw DistributedError.environment(variable: "MASTER_ADDR", reason: "is empty")
        }
        masterPort = try integer("MASTER_PORT", in: 1...65535)
    }

    /// The variables `init(_:)` reads, for launching a worker at this position.
    public var variables: [String: String] {
        [
            "RANK": String(rank), "WORLD_SIZE": String(worldSize), "LOCAL_RANK": String(localRank),
            "MASTER_ADDR": masterAddress, "MASTER_PORT": String(masterPort),
        ]
    }
}
