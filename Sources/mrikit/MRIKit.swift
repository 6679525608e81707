import ArgumentParser
import Torch

/// The `mrikit` command-line tool.
@main
struct MRIKitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mrikit",
        abstract: "Deep learning on MRI, on libtorch.",
        subcommands: [
            DemoCommand.self, SimulateCommand.self, TrainCommand.self, EvaluateCommand.self, ReconstructCommand.self,
            SegmentCommand.self,
            BenchCommand.self, InfoCommand.self,
        ])

    /// Runs the command with the C allocator tuned for tensor workloads (``Runtime/keepFreedHeapMemory()``).
    static func main() {
        Runtime.keepFreedHeapMemory()
        main(nil)
    }
}

/// `mrikit info`: the runtime MRIKit runs on.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Print the libtorch version, devices and threads.")

    func run() throws {
        print("libtorch \(Runtime.libtorchVersion) at \(Runtime.libraryDirectory)")
        print("device: \(Runtime.preferredDevice) (CUDA devices: \(Runtime.cudaDeviceCount))")
        print("CPU threads: \(Runtime.threadCount)")
    }
}
