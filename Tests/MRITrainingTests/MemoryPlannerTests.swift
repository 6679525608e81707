import Foundation
import Testing

@testable import MRITraining
import TorchTestSupport

/// A network, an Adam optimizer and a fixed batch: one training step on its first samples.
private struct Workbench<Model: CheckpointableBlocks> {
    let model: Model
    let loss: (Int) -> Tensor
    let optimizer: Adam

    init(_ model: Model, loss: @escaping (Int) -> Tensor) {
        self.model = model
        self.loss = loss
        optimizer = Adam(parameters: model.namedParameters(), lr: 1e-4)
    }

    func step(_ microBatch: Int) {
        loss(microBatch).backward()
        optimizer.step()
        optimizer.zeroGrad()
    }

    /// The peak resident set of one step with `flags` as the blocks' checkpointing, measured here
    /// independently of the planner.
    func peak(_ flags: [Bool], microBatch: Int) -> Int {
        model.blockCheckpointing = flags
        let meter = ResidentMemoryMeter()
        meter.resetPeak()
        step(microBatch)
        return meter.peakBytes
    }
}

/// VarNet with 4 cascades (U-Nets of 8 channels, 3 pools) on single-coil 192² k-space: each cascade
/// keeps about 20 MB of activations, so the peaks with none and all checkpointed lie about 80 MB
/// apart, well beyond the ±15 MB spread of repeated resident-set peaks seen here.
private func varnetWorkbench() -> Workbench<VarNet> {
    manualSeed(3)
    let generator = Generator(seed: 3)
    let mask = Tensor((0..<192).map { $0 % 4 == 0 || (84..<108).contains($0) ? Float(1) : 0 }, shape: [1, 1, 1, 192])
    let kspace = Tensor.randn([1, 1, 192, 192], dtype: .complex64, generator: generator) * mask
    let target = Tensor.rand([1, 192, 192], generator: generator)
    let model = VarNet(numCascades: 4, sensChans: 4, sensPools: 2, chans: 8, pools: 3)
    return Workbench(model) { _ in Functional.l1Loss(model(kspace, mask: mask), target: target) }
}

/// RCAN with 4 residual groups of 4 blocks at `features` features on a batch of 2 `size`² images
/// (each group keeps about 17 MB of activations per sample at 32 features and 128²).
private func rcanWorkbench(features: Int = 32, size: Int = 128) -> Workbench<RCAN> {
    manualSeed(4)
    let generator = Generator(seed: 4)
    let images = Tensor.randn([2, 1, size, size], generator: generator)
    let targets = Tensor.randn([2, 1, size, size], generator: generator)
    let model = RCAN(nFeats: features, nResblocks: 4, nResgroups: 4, reduction: 8, gradientCheckpointing: false)
    return Workbench(model) { count in Functional.l1Loss(model(images[0..<count]), target: targets[0..<count]) }
}

/// Whether to run the tests that compare resident-set peaks with budgets of tens of MB:
/// `make test-slow` runs them in a process of their own. Inside the whole suite's long-lived process
/// the resident set drifts by more than their margins (a fresh-process run passes; a full run failed
/// by 14 MiB), so `make test` leaves them out.
private let residentSetTestsEnabled = ProcessInfo.processInfo.environment["MRIKIT_SLOW_TESTS"] != nil
private let residentSetTestsReason: Comment = "resident-set budgets: make test-slow runs them in their own process"

/// Resident-set peaks are only meaningful one step at a time, so the suite runs serially.
@Suite("Memory planner", .serialized)
struct MemoryPlannerTests {
    @Test("memory sizes parse in decimal and binary units")
    func sizesParse() throws {
        let cases: [(String, Int)] = [
            ("8GB", 8_000_000_000), ("512MiB", 512 << 20), ("1.5 GiB", 3 << 29), ("300000000", 300_000_000),
            ("64 kb", 64_000), ("2TiB", 2 << 40), ("100B", 100), (" 3mb ", 3_000_000),
        ]
        for (text, bytes) in cases {
            #expect(try MemorySize(parsing: text, field: "--memory-budget").bytes == bytes, "\(text)")
        }
        #expect(MemorySize(bytes: 3 << 29).description == "1.50 GiB")
        #expect(MemorySize(bytes: 512 << 20).description == "512.0 MiB")
    }

    @Test("a bad memory size is refused, naming the option")
    func badSizesAreRefused() {
        for text in ["", "GB", "abc", "-1GB", "0", "8XB", "1e9", "1.2.3GB", "0.1B"] {
            let error = #expect(throws: MemoryPlanError.self) { try MemorySize(parsing: text, field: "--memory-budget") }
            #expect(error == .invalidSize(field: "--memory-budget", value: text))
            #expect(error?.description.hasPrefix("invalid --memory-budget: \"\(text)\"") == true)
        }
    }

    @Test("VarNet: with a budget between the all- and none-checkpointed peaks, the plan's step stays under it",
          .enabled(if: residentSetTestsEnabled, residentSetTestsReason))
    func varnetPlanFits() throws {
        let bench = varnetWorkbench()
        let blocks = bench.model.checkpointableBlockNames.count
        // A budget no step reaches gives the two extremes the planner measured.
        let extremes = try MemoryPlanner(budget: MemorySize(bytes: 1 << 50)).plan(bench.model, batchSize: 1, log: { _ in }) {
            bench.step($0)
        }
        #expect(extremes.checkpointedBlockCount == 0)
        let (none, all) = (extremes.uncheckpointedPeak, extremes.allCheckpointedPeak)
        #expect(none - all > 40 << 20, "the test needs a wide gap between the extremes")
        let budget = all + (none - all) * 6 / 10
        let plan = try MemoryPlanner(budget: MemorySize(bytes: budget)).plan(bench.model, batchSize: 1, log: { _ in }) {
            bench.step($0)
        }
        // Below the uncheckpointed peak something must be checkpointed, and with the budget 60% of
        // the way up from the all-checkpointed peak, not every cascade (the margin is 5% of the
        // step's own memory, so the size of the process does not matter).
        #expect((1..<blocks).contains(plan.checkpointedBlockCount))
        #expect(plan.microBatchSize == 1)
        #expect(plan.checkpointedBlocks == Array(bench.model.checkpointableBlockNames.prefix(plan.checkpointedBlockCount)))
        #expect(bench.model.blockCheckpointing == plan.blockCheckpointing, "the model is left as planned")
        let measured = bench.peak(plan.blockCheckpointing, microBatch: 1)
        #expect(measured <= budget)
        // The cost model against measurement: it errs high by up to a quarter of the gap between the
        // extremes, and peaks scatter by ±15 MB (a fifth of the gap) on top.
        #expect(abs(plan.predictedPeak - measured) <= (none - all) * 9 / 20)
    }

    @Test("RCAN: when even checkpointing every group does not fit, the batch is split into micro-batches",
          .enabled(if: residentSetTestsEnabled, residentSetTestsReason))
    func rcanMicroBatches() throws {
        let bench = rcanWorkbench()
        let blocks = bench.model.checkpointableBlockNames.count
        bench.step(2)
        let meter = ResidentMemoryMeter()
        meter.resetPeak()
        let base = meter.currentBytes
        let all = bench.peak((0..<blocks).map { _ in true }, microBatch: 2)
        // Below the all-checkpointed peak of the batch of 2, above that of 1: the step's own memory
        // (about 130 MB) times 0.8 leaves 40 MB over the predicted micro-batch peak for the margin and
        // the spread of peaks.
        let budget = base + (all - base) * 8 / 10
        let plan = try MemoryPlanner(budget: MemorySize(bytes: budget)).plan(bench.model, batchSize: 2, log: { _ in }) {
            bench.step($0)
        }
        #expect(plan.microBatchSize == 1)
        #expect(plan.accumulationSteps == 2)
        #expect(bench.peak(plan.blockCheckpointing, microBatch: plan.microBatchSize) <= budget)
    }

    @Test("an impossible budget is refused with the smallest peak, and the model is left as it was")
    func impossibleBudget() throws {
        let bench = rcanWorkbench(features: 16, size: 48)
        let before = [true, false, false, true]
        bench.model.blockCheckpointing = before
        let budget = 16 << 20
        let error = #expect(throws: MemoryPlanError.self) {
            try MemoryPlanner(budget: MemorySize(bytes: budget)).plan(bench.model, batchSize: 2, log: { _ in }) {
                bench.step($0)
            }
        }
        guard case let .doesNotFit(reportedBudget, smallestPeak, configuration)? = error else {
            Issue.record("expected doesNotFit, got \(String(describing: error))")
            return
        }
        #expect(reportedBudget == budget)
        #expect(smallestPeak > budget)
        #expect(configuration.contains("all 4 blocks checkpointed and micro-batch 1"))
        #expect(error?.description.contains("memory budget of 16.0 MiB") == true)
        #expect(bench.model.blockCheckpointing == before)
    }
}
