import Foundation
import MRITraining

/// `mrikit bench --only memory-planner`: for VarNet and RCAN on the CPU, the memory planner given a
/// budget of `fraction` of a step's own memory without checkpointing (the issue's goal: 0.4), and
/// what its plan costs: the step's memory (peak resident set minus the resident set when the step
/// starts, so the libraries and weights, alike in both, do not dilute the ratio) and its time,
/// medians over `repeats` steps alternating between no checkpointing and the plan.
func memoryPlannerBenchmark(repeats: Int, fraction: Double) throws {
    print("memory planner, CPU resident set; budget: RSS at step start + \(fraction) × step memory without checkpointing")
    print("model                       step memory: none → planned  ratio   step time: none → planned  ratio  plan")
    let generator = Generator(seed: 1)
    do {
        let width = 320
        let start = (width - 26 + 1) / 2
        let columns = (0..<width).map { $0 % 4 == 0 || ($0 >= start && $0 < start + 26) ? Float(1) : 0 }
        let mask = Tensor(columns, shape: [1, 1, 1, width])
        let kspace = Tensor.randn([1, 1, 320, 320], dtype: .complex64, generator: generator) * mask
        let target = Tensor.rand([1, 320, 320], generator: generator)
        let network = VarNet(numCascades: 12)
        try plannerRow("VarNet(12) 1×1×320²", network, repeats: repeats, fraction: fraction) {
            Functional.l1Loss(network(kspace, mask: mask), target: target)
        }
    }
    do {
        let image = Tensor.randn([1, 2, 128, 128], generator: generator)
        let target = Tensor.randn([1, 1, 128, 128], generator: generator)
        let network = RCAN(inChannels: 2, outChannels: 1, gradientCheckpointing: false)
        try plannerRow("RCAN(160,25,4) 2×128²", network, repeats: repeats, fraction: fraction) {
            Functional.l1Loss(network(image), target: target)
        }
    }
}

/// Plans `network` for the budget and prints its row; `loss` is the loss of the benchmark batch.
private func plannerRow<Model: CheckpointableBlocks>(
    _ label: String, _ network: Model, repeats: Int, fraction: Double, loss: @escaping () -> Tensor
) throws {
    let optimizer = Adam(parameters: network.namedParameters(), lr: 1e-4)
    let meter = ResidentMemoryMeter()
    func step() {
        loss().backward()
        optimizer.step()
        optimizer.zeroGrad()
    }
    /// The step's own memory, the memory in use when it started, and its seconds, with `flags` as
    /// the blocks' checkpointing.
    func measured(_ flags: [Bool]) -> (bytes: Int, base: Int, seconds: Double) {
        network.blockCheckpointing = flags
        meter.resetPeak()
        let base = meter.currentBytes
        let seconds = measure { step() }
        return (meter.peakBytes - base, base, seconds)
    }
    let none = network.checkpointableBlockNames.map { _ in false }
    step()  // warm-up: gradients, optimizer state, kernel code
    let unplanned = measured(none)
    let budget = MemorySize(bytes: unplanned.base + Int(fraction * Double(unplanned.bytes)))
    let padded = label.padding(toLength: 26, withPad: " ", startingAt: 0)
    let plan: MemoryPlan
    do {
        plan = try MemoryPlanner(budget: budget, safetyMargin: 0.02).plan(network, batchSize: 1, log: { _ in }) { _ in step() }
    } catch let error as MemoryPlanError {
        print("\(padded)  \(error)")
        return
    }
    var runs: [(none: (bytes: Int, base: Int, seconds: Double), planned: (bytes: Int, base: Int, seconds: Double))] = []
    for _ in 0..<repeats { runs.append((measured(none), measured(plan.blockCheckpointing))) }
    let (noneBytes, plannedBytes) = (median(runs.map { Double($0.none.bytes) }), median(runs.map { Double($0.planned.bytes) }))
    let (noneSeconds, plannedSeconds) = (median(runs.map(\.none.seconds)), median(runs.map(\.planned.seconds)))
    let megabytes = { (bytes: Double) in String(format: "%6.0f MB", bytes / 0x1p20) }
    print("\(padded)  \(megabytes(noneBytes)) → \(megabytes(plannedBytes))  \(String(format: "%5.2f", plannedBytes / noneBytes))"
        + "     \(String(format: "%7.2f s → %7.2f s", noneSeconds, plannedSeconds))  \(String(format: "%5.2f", plannedSeconds / noneSeconds))"
        + "  \(plan.checkpointedBlockCount)/\(plan.blockNames.count) blocks")
    fflush(nil)
}
