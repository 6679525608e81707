import ArgumentParser
import Foundation
import MRITraining

/// The options of a command that can train data-parallel: `--nproc N` starts N workers of this
/// command on this machine; a process started with torchrun's environment (by `--nproc`,
/// torchrun, SLURM or a PyTorchJob) joins that job instead.
struct DistributedOptions: ParsableArguments {
    @Option(help: "Worker processes to start on this machine (data-parallel over Gloo; ignored inside a launched job).")
    var nproc = 1
    @Option(help: "Seconds a worker waits for its peers (rendezvous and each gradient exchange) before failing.")
    var distributedTimeout = 300

    func validate() throws {
        guard nproc > 0 else { throw ValidationError("--nproc must be positive") }
        guard distributedTimeout > 0 else { throw ValidationError("--distributed-timeout must be positive") }
    }

    /// This process's position in a launched job, or nil outside one.
    var position: DistributedEnvironment? {
        get throws { try DistributedEnvironment(ProcessInfo.processInfo.environment) }
    }

    /// With `--nproc` > 1 outside a job, runs the job (this program again, same arguments, once
    /// per rank) and returns true once it has finished; otherwise returns false.
    func launchWorkersIfAsked() throws -> Bool {
        guard nproc > 1, try position == nil else { return false }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        try LocalLauncher(executable: executable, arguments: Array(CommandLine.arguments.dropFirst()), processCount: nproc)
            .run()
        return true
    }

    /// The process group of the job this process belongs to, or nil outside one.
    func joinProcessGroup() throws -> ProcessGroup? {
        try position.map { try ProcessGroup($0, timeout: .seconds(distributedTimeout)) }
    }
}
