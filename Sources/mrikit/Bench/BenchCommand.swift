import ArgumentParser
import Foundation
import MRI
import TorchNN

/// `mrikit bench`: times MRIKit against the Python tools people use (PyTorch, scikit-image,
/// ...) on the same work, in the same run.
///
/// Repeats alternate between the two sides so machine noise hits both alike; the table
/// reports medians and the ratio MRIKit / peer (below 1 means MRIKit is faster).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmark MRIKit against its Python peers (ratios).")

    @Option(help: "Python that can import torch (the PyTorch peer).") var python = ".venv/bin/python"
    @Option(help: "Python with scikit-image, pygrappa and sigpy (the MRI peers).") var mriPython = ".venv-mri/bin/python"
    @Option(help: "Workloads to run, comma-separated (default: all).") var only: String?
    @Option(help: "Repeats per side (medians are reported).") var repeats = 5
    @Option(help: "Device: cpu or cuda[:N].") var device = "cpu"
    @Option(help: "CPU threads for both sides (0: libtorch's default).") var threads = 0
    @Option(help: "Small elementwise steps per repeat (5 ops each).") var elementwiseSteps = 20_000
    @Option(help: "Conv-net training steps (and conv3x3 passes) per repeat.") var convSteps = 3
    @Option(help: "2D U-Net training steps per repeat.") var unetSteps = 3
    @Option(help: "VarNet and fastMRI U-Net training steps per repeat.") var reconModelSteps = 1
    @Option(help: "Segmentation-model training steps per repeat.") var segmentationSteps = 1
    @Flag(help: "After each workload, print the libtorch operators one more MRIKit run spends its time in (compare with torch.profiler's key_averages of the peer).")
    var profile = false

    func validate() throws {
        guard Device(device) != nil else { throw ValidationError("--device: '\(device)' is not cpu or cuda[:N]") }
        guard repeats > 0, elementwiseSteps > 0, convSteps > 0, unetSteps > 0, reconModelSteps > 0,
              segmentationSteps > 0
        else {
            throw ValidationError("--repeats and the --*-steps options must be positive")
        }
    }

    func run() throws {
        guard let target = Device(device) else { return }
        if target.kind == .cuda && !Runtime.isCUDAAvailable {
            throw ValidationError("--device \(device): CUDA is not available here")
        }
        if threads > 0 { Runtime.threadCount = threads }
        let threadCount = Runtime.threadCount
        let torchPeer = PythonPeer(python: python, script: "bench/torch_peer.py")
        let shared = ["--device", device, "--threads", String(threadCount)]
        print("libtorch \(Runtime.libtorchVersion), device \(target), \(threadCount) threads, \(repeats) repeats")
        // Not a peer comparison, and it reads the process's memory, so it runs alone: `--only memory-planner`.
        if only == "memory-planner" { return try memoryPlannerBenchmark(repeats: repeats, fraction: 0.4) }

        let selected = only.map { Set($0.split(separator: ",").map(String.init)) }
        let dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mrikit-bench-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: dataDirectory) }
        // Groups of workloads that share their set-up, each workload named for --only.
        let groups: [(names: [String], make: () throws -> [Workload])] = [
            (["elementwise"], {
                [Workload(
                    name: "elementwise", label: "small-op overhead (µs/op)", unit: 1e6, peer: torchPeer,
                    peerArguments: ["--steps", String(elementwiseSteps)],
                    swift: elementwiseChain(steps: elementwiseSteps, device: target))]
            }),
            (["convstep"], {
                [Workload(
                    name: "convstep", label: "conv-net training step (ms)", unit: 1e3, peer: torchPeer,
                    peerArguments: ["--steps", String(convSteps)],
                    swift: convTrainingStep(steps: convSteps, device: target))]
            }),
            (["unetstep"], {
                [Workload(
                    name: "unetstep", label: "2D U-Net training step (ms)", unit: 1e3, peer: torchPeer,
                    peerArguments: ["--steps", String(unetSteps)],
                    swift: unetTrainingStep(steps: unetSteps, device: target))]
            }),
            (["conv3x3"], {
                [Workload(
                    name: "conv3x3", label: "wide 3×3 convs fwd+bwd (ms)", unit: 1e3, peer: torchPeer,
                    peerArguments: ["--steps", String(convSteps)],
                    swift: wideConvolutionPasses(steps: convSteps, device: target))]
            }),
            (["ssim"], { [ssimVolumeWorkload(device: target, python: mriPython)] }),
            (["grappa", "espirit", "cs"], {
                try mriReconstructionWorkloads(device: target, dataDirectory: dataDirectory, python: mriPython)
            }),
            (["loader"], { [try loaderWorkload(directory: dataDirectory, python: python)] }),
            (["fastmri_slices"], { try dataWorkloads(dataDirectory: dataDirectory, python: python) }),
            (["nifti", "niftigz"], { try niftiReadWorkloads(dataDirectory: dataDirectory, python: python) }),
        ]
            + reconstructionModelGroups(steps: reconModelSteps, device: target, python: python)
            + segmentationWorkloadNames.map { name in
                ([name], { [segmentationWorkload(name, steps: segmentationSteps, device: target, python: python)] })
            }
        let names = groups.flatMap(\.names)
        if let selected, let unknown = selected.subtracting(names).first {
            throw ValidationError("--only: no workload '\(unknown)' (have \(names.joined(separator: ", ")))")
        }
        print("")
        print("workload                        MRIKit        peer    ratio")
        let chosen = groups.filter { group in selected.map { !$0.isDisjoint(with: group.names) } ?? true }
        // Each group is set up only when its turn comes and released after it, so one workload's
        // tensors never shape the allocator state another is timed in (the peers run each in a
        // fresh process).
        for group in chosen {
            for workload in try group.make() where selected?.contains(workload.name) ?? true {
                _ = workload.swift()  // warm-up
                var swiftTimes: [Double] = []
                var peerTimes: [Double] = []
                for _ in 0..<repeats {
                    swiftTimes.append(workload.swift())
                    peerTimes += try workload.peer.seconds(workload.name, workload.peerArguments + ["--repeats", "1"] + shared)
                }
                let (mine, theirs) = (median(swiftTimes) * workload.unit, median(peerTimes) * workload.unit)
                let padded = workload.label.padding(toLength: 30, withPad: " ", startingAt: 0)
                // Each row as soon as it is measured, flushed, so a run cut short keeps what it measured.
                print("\(padded)  \(format(mine))  \(format(theirs))  \(String(format: "%7.3f", mine / theirs))")
                fflush(nil)
                if profile {
                    print(OperatorProfile.record { _ = workload.swift() }.table())
                    fflush(nil)
                }
            }
        }
    }

    private func format(_ value: Double) -> String { String(format: "%9.3f", value) }
}

/// One benchmark: the Swift side as a closure returning seconds per unit of work, and the
/// peer that times the same work.
struct Workload {
    let name: String
    let label: String
    let unit: Double
    let peer: PythonPeer
    let peerArguments: [String]
    let swift: () -> Double
}

/// Seconds per op of `x = tanh(((x + a) * b - c) / d)` on 16-element tensors (5 ops a step).
func elementwiseChain(steps: Int, device: Device) -> () -> Double {
    let a = Tensor.full([16], 0.5, device: device)
    let b = Tensor.full([16], 0.9, device: device)
    let c = Tensor.full([16], 0.1, device: device)
    let d = Tensor.full([16], 1.1, device: device)
    return {
        var x = Tensor.ones([16], device: device)
        let seconds = measure {
            for _ in 0..<steps { x = (((x + a) * b - c) / d).tanh() }
            if device.kind == .cuda { Runtime.synchronize(cudaDevice: device.index ?? 0) }
        }
        return seconds / Double(steps * 5)
    }
}

/// Seconds per training step of `TinyConvNet` on a `[4, 1, 128, 128]` batch.
func convTrainingStep(steps: Int, device: Device) -> () -> Double {
    let generator = Generator(seed: 1)
    let input = Tensor.randn([4, 1, 128, 128], generator: generator).to(device: device)
    let target = Tensor.randn([4, 1, 128, 128], generator: generator).to(device: device)
    let network = TinyConvNet(seed: 0, device: device, learningRate: 1e-3)
    return {
        let seconds = measure {
            for _ in 0..<steps { network.trainingStep(input: input, target: target) }
            if device.kind == .cuda { Runtime.synchronize(cudaDevice: device.index ?? 0) }
        }
        return seconds / Double(steps)
    }
}
