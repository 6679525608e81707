import Foundation
import Testing

@testable import MRITraining
import TorchTestSupport

/// A temporary folder removed when the test ends.
private final class ScratchFolder {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("mrikit-ddp-\(UUID().uuidString)").path
    init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The DistributedWorker executable, built next to this test bundle.
private let workerURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    .deletingLastPathComponent().appendingPathComponent("DistributedWorker")

/// The longest any worker may run: a watchdog so that a hang fails the test instead of stalling
/// the suite (a run takes a few seconds; this is no timing check).
private let watchdogSeconds = 120.0

/// Starts the worker with `arguments`, adding `environment` to this process's.
private func startWorker(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, Pipe) {
    let process = Process()
    process.executableURL = workerURL
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    return (process, errors)
}

/// Waits for `process` (killing it past the watchdog); returns whether it exited in time.
private func finish(_ process: Process) -> Bool {
    let deadline = Date().addingTimeInterval(watchdogSeconds)
    while process.isRunning, Date() < deadline { usleep(20_000) }
    guard !process.isRunning else {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
    }
    return true
}

/// Runs one worker outside any job (a single-process run) and expects it to succeed.
private func runAlone(_ arguments: [String]) throws {
    let (process, errors) = try startWorker(arguments)
    #expect(finish(process), "the single-process worker hung")
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(process.terminationStatus == 0, "worker failed: \(message)")
}

/// The model entries of the checkpoint `folder/last.pt`.
private func modelWeights(in folder: String) throws -> [String: Tensor] {
    let state = try TorchCheckpoint.load(fromPath: folder + "/last.pt").section("model")
    return Dictionary(uniqueKeysWithValues: state.entries.map { ($0.0, $0.1) })
}

/// The largest absolute difference between two sets of weights with the same keys.
private func largestDifference(_ a: [String: Tensor], _ b: [String: Tensor]) -> Double {
    #expect(Set(a.keys) == Set(b.keys))
    return a.keys.map { key in b[key].map { maxAbsDifference(a[key]!, $0) } ?? .infinity }.max() ?? .infinity
}

// Two ranks average per-rank mean gradients where one process takes the mean over the whole
// global batch: the same numbers summed in a different order (and each rank's matmuls reduce
// over 4 samples instead of 8), so float32 rounding differs by an ulp or so per step. After
// four SGD steps with momentum (each over 4 micro-batches, or 2 at an epoch's end) the weights
// (size up to ~0.6) differed by at most 6e-8 (one ulp); 1e-5 leaves margin, while summing
// instead of averaging, or skipping the exchange, moves them by ~0.1 (PyTorch, same set-up).
private let tolerance = 1e-5

@Suite("Distributed data-parallel training (Gloo on loopback)", .serialized)
struct DistributedTrainingTests {
    @Test("two processes reach the weights of one process with the same global batch")
    func twoRanksMatchOneProcess() throws {
        let alone = try ScratchFolder()
        let pair = try ScratchFolder()
        try runAlone([alone.path, "2"])
        try LocalLauncher(executable: workerURL, arguments: [pair.path, "2"], processCount: 2).run()
        let difference = largestDifference(try modelWeights(in: alone.path), try modelWeights(in: pair.path))
        #expect(difference <= tolerance, "largest weight difference \(difference)")
        // Only rank 0 writes checkpoints and the history says both epochs ran.
        #expect(try FileManager.default.contentsOfDirectory(atPath: pair.path).sorted() == ["last.pt"])
    }

    @Test("a checkpoint of a two-process run resumes in one process as if never interrupted")
    func resumeWithAnotherWorldSize() throws {
        let uninterrupted = try ScratchFolder()
        let resumed = try ScratchFolder()
        try runAlone([uninterrupted.path, "2"])
        try LocalLauncher(executable: workerURL, arguments: [resumed.path, "1"], processCount: 2).run()
        try runAlone([resumed.path, "2", "resume"])
        let difference = largestDifference(try modelWeights(in: uninterrupted.path), try modelWeights(in: resumed.path))
        #expect(difference <= tolerance, "largest weight difference \(difference)")
    }

    @Test("a rank killed mid-step makes its peer exit with a clear error, not hang")
    func killedRankEndsThePeer() throws {
        let message = try survivorError(fault: "kill")
        #expect(message.contains("distributed all-reduce failed on rank 0"), "rank 0 said: \(message)")
    }

    @Test("a rank stalled mid-step makes its peer exit with a timeout error")
    func stalledRankTimesOut() throws {
        let message = try survivorError(fault: "stall")
        #expect(message.contains("distributed all-reduce failed on rank 0"), "rank 0 said: \(message)")
        // Gloo says "Timed out waiting …" for the receive that expired, or "Application timeout
        // caused pair closure" for one pending on the same connection.
        let lowercased = message.lowercased()
        #expect(lowercased.contains("timed out") || lowercased.contains("timeout"), "rank 0 said: \(message)")
    }

    /// Runs ranks 0 and 1 by hand, rank 1 meeting `fault` ("kill" or "stall") in step 1, and
    /// returns what rank 0 wrote to stderr, expecting it to have exited with status 1.
    private func survivorError(fault: String) throws -> String {
        let scratch = try ScratchFolder()
        let port = try LocalLauncher.freePort()
        func position(_ rank: Int) -> [String: String] {
            DistributedEnvironment(rank: rank, worldSize: 2, localRank: rank, masterAddress: "127.0.0.1", masterPort: port)
                .variables
        }
        // Long enough for both to start and join on a busy machine; the stall test waits it out once.
        let arguments = [scratch.path, "2", fault, "1", "1", "timeout", "8"]
        let (survivor, survivorErrors) = try startWorker(arguments, environment: position(0))
        let (victim, _) = try startWorker(arguments, environment: position(1))
        defer {
            kill(victim.processIdentifier, SIGKILL)
            victim.waitUntilExit()
        }
        #expect(finish(survivor), "rank 0 hung after its peer failed")
        #expect(survivor.terminationReason == .exit && survivor.terminationStatus == 1)
        return String(decoding: survivorErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    @Test("the launcher stops the other workers when one fails and names the failed rank")
    func launcherStopsSurvivors() throws {
        // Ranks other than 1 would sleep for ten minutes unless the launcher stops them.
        let launcher = LocalLauncher(
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", #"[ "$RANK" = 1 ] && [ "$WORLD_SIZE" = 3 ] && exit 3; exec sleep 600"#], processCount: 3)
        let done = DispatchSemaphore(value: 0)
        let outcome = LaunchOutcome()
        Thread {
            do { try launcher.run() } catch { outcome.error = error }
            done.signal()
        }.start()
        #expect(done.wait(timeout: .now() + watchdogSeconds) == .success, "the launcher did not stop the sleeping workers")
        let failure = try #require(outcome.error as? LocalLauncher.WorkerFailure)
        #expect(failure.rank == 1 && failure.status == 3 && !failure.signaled)
    }

    @Test("the torchrun environment is read, and a bad one is refused naming the variable")
    func environment() throws {
        #expect(try DistributedEnvironment([:]) == nil)
        let full = ["RANK": "2", "WORLD_SIZE": "4", "LOCAL_RANK": "0", "MASTER_ADDR": "node7", "MASTER_PORT": "29500"]
        #expect(
            try DistributedEnvironment(full)
                == DistributedEnvironment(rank: 2, worldSize: 4, localRank: 0, masterAddress: "node7", masterPort: 29500))
        #expect(try DistributedEnvironment(full)?.variables == full)
        for (variable, value) in [("RANK", "4"), ("MASTER_PORT", "http"), ("WORLD_SIZE", "0"), ("MASTER_PORT", nil)] {
            var environment = full
            environment[variable] = value
            #expect {
                _ = try DistributedEnvironment(environment)
            } throws: { error in
                "\(error)".contains("environment variable \(variable)")
            }
        }
    }
}

/// The error a launcher thread ended with.
private final class LaunchOutcome: @unchecked Sendable {
    var error: (any Error)?
}
