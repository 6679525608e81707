import Foundation

/// Chooses how a training step fits a memory budget: the fewest blocks to checkpoint and, when
/// even checkpointing every block is not enough, a micro-batch whose gradients are accumulated.
///
/// It measures the peak of a full-batch step without checkpointing and with every block
/// checkpointed, predicts the peak of every other choice with a cost model, takes the cheapest
/// choice whose prediction, plus `safetyMargin` of the step's own memory, stays under the budget,
/// and verifies it by measuring its peak (going on to the next cheapest choice while a measured
/// peak exceeds the budget).
///
/// The cost model. Blocks run in order and are alike (VarNet's cascades, RCAN's residual groups),
/// each keeping its activations when it runs normally and only its input when checkpointed, so
/// with the measured peaks `P₀` (none checkpointed) and `Pₙ` (all `n`), checkpointing `k` blocks
/// predicts `P(k) = P₀ − k·(P₀ − Pₙ)/n`. The checkpointed blocks are the first `k`: a checkpointed
/// block's activations come back during `backward` only after the later blocks' have been freed,
/// while the last block's are needed as soon as `backward` starts, so checkpointing it saves the
/// least. That makes the measured savings fall off towards `k = n` and the linear prediction err
/// on the high, safe side (measured on VarNet: up to a quarter of `P₀ − Pₙ` above; RCAN's peaks
/// scatter by ±15 MB around it). Activations scale with the batch, so a micro-batch `m` of a
/// batch `B` predicts `base + (P − base)·m/B`, where `base` is the memory in use when the step starts.
///
/// ```swift
/// let planner = MemoryPlanner(budget: try MemorySize(parsing: "2GB", field: "--memory-budget"))
/// let plan = try planner.plan(net, batchSize: 4) { microBatch in
///     Functional.l1Loss(net(inputs[0..<microBatch]), target: targets[0..<microBatch]).backward()
///     optimizer.zeroGrad()
/// }
/// print(plan)   // the model is left checkpointed as planned; train with plan.microBatchSize
/// ```
public struct MemoryPlanner {
    /// The most memory a training step may reach, in bytes (as `meter` measures it).
    public var budget: Int
    /// The fraction of a step's own predicted memory (its peak above the memory in use when it
    /// starts) kept free under the budget: measurement noise and model error.
    public var safetyMargin: Double
    /// Where peaks are measured: the process's resident set on the CPU, the caching allocator on CUDA.
    public var meter: any MemoryMeter

    /// A planner for `budget`.
    ///
    /// - Parameters:
    ///   - budget: the peak a step may reach.
    ///   - safetyMargin: the fraction of a step's own predicted memory kept free under `budget`;
    ///     5% absorbs the run-to-run spread of resident-set peaks (a few MB on CPU) and the cost
    ///     model's error on real models.
    ///   - meter: ``memoryMeter(for:)`` of the device the model trains on.
    public init(budget: MemorySize, safetyMargin: Double = 0.05, meter: any MemoryMeter = ResidentMemoryMeter()) {
        precondition((0..<1).contains(safetyMargin), "safetyMargin must be in [0, 1)")
        self.budget = budget.bytes
        self.safetyMargin = safetyMargin
        self.meter = meter
    }

    /// One candidate: the first `blocks` blocks checkpointed, micro-batches of `microBatch`.
    private struct Choice {
        var blocks: Int
        var microBatch: Int
        var predictedPeak: Int
    }

    /// Measures, plans and verifies; leaves `model` checkpointed as the plan says.
    ///
    /// `step` must run one training step on the first `microBatchSize` samples of a fixed batch of
    /// `batchSize` (forward, loss, backward and whatever the optimizer does), in training mode; it
    /// runs a few times (a warm-up, two measurements, at least one verification), so give it a
    /// throwaway model or copy of the state when the weights must not move.
    ///
    /// - Parameters:
    ///   - model: the network whose blocks may be checkpointed.
    ///   - batchSize: the training batch size (micro-batches are its divisors).
    ///   - log: receives a line per measurement.
    ///   - step: runs one training step on `microBatchSize` samples.
    /// - Returns: the plan, with its predicted and measured peaks.
    /// - Throws: ``MemoryPlanError/doesNotFit(budget:smallestPeak:configuration:)`` when no choice fits
    ///   (then `model`'s checkpointing is put back as it was), or what `step` throws.
    public func plan<Model: CheckpointableBlocks>(
        _ model: Model, batchSize: Int, log: (String) -> Void = { print($0) },
        step: (_ microBatchSize: Int) throws -> Void
    ) throws -> MemoryPlan {
        precondition(batchSize > 0, "batchSize must be positive")
        let names = model.checkpointableBlockNames
        let original = model.blockCheckpointing
        var planned = false
        defer { if !planned { model.blockCheckpointing = original } }

        func measure(blocks: Int, microBatch: Int) throws -> (peak: Int, base: Int) {
            model.blockCheckpointing = names.indices.map { $0 < blocks }
            meter.resetPeak()
            let base = meter.currentBytes
            let started = ContinuousClock.now
            try step(microBatch)
            let peak = meter.peakBytes
            log("  measured: \(blocks) of \(names.count) blocks checkpointed, micro-batch \(microBatch): peak "
                + "\(MemorySize(bytes: peak)) (step started at \(MemorySize(bytes: base)), "
                + "\(String(format: "%.2f", (ContinuousClock.now - started).seconds)) s)")
            return (peak, base)
        }

        // The warm-up takes the one-time allocations (gradients, optimizer state, kernel code) out of the measurements.
        model.blockCheckpointing = names.map { _ in true }
        try step(batchSize)
        let none = try measure(blocks: 0, microBatch: batchSize)
        let all = names.isEmpty ? none : try measure(blocks: names.count, microBatch: batchSize)
        let saving = names.isEmpty ? 0 : Double(none.peak - all.peak) / Double(names.count)
        func predictedPeak(blocks: Int, microBatch: Int) -> Int {
            let fullBatch = Double(none.peak) - Double(blocks) * saving
            return none.base + Int((fullBatch - Double(none.base)) * Double(microBatch) / Double(batchSize))
        }
        // In order of preference: larger micro-batches first (fewer passes), then fewer checkpointed blocks.
        let choices = (1...batchSize).reversed().filter { batchSize % $0 == 0 }.flatMap { microBatch in
            (0...names.count).map { Choice(blocks: $0, microBatch: microBatch,
                                           predictedPeak: predictedPeak(blocks: $0, microBatch: microBatch)) }
        }
        // The margin is on the step's own memory (above what was in use when it started), not on
        // the whole budget: in a process holding gigabytes, 5% of the budget would exceed a
        // block's saving and checkpoint more blocks than needed.
        func fits(_ choice: Choice) -> Bool {
            let own = Double(max(0, choice.predictedPeak - none.base))
            return Double(choice.predictedPeak) + safetyMargin * own <= Double(budget)
        }
        guard var index = choices.firstIndex(where: fits) else {
            throw MemoryPlanError.doesNotFit(
                budget: budget, smallestPeak: choices.map(\.predictedPeak).min() ?? none.peak,
                configuration: "all \(names.count) blocks checkpointed and micro-batch 1 (predicted)")
        }
        while true {
            let choice = choices[index]
            let measured = try measure(blocks: choice.blocks, microBatch: choice.microBatch)
            if measured.peak <= budget {
                planned = true
                return MemoryPlan(
                    budget: budget, blockNames: names, checkpointedBlockCount: choice.blocks, batchSize: batchSize,
                    microBatchSize: choice.microBatch, predictedPeak: choice.predictedPeak, measuredPeak: measured.peak,
                    uncheckpointedPeak: none.peak, allCheckpointedPeak: all.peak)
            }
            // The prediction was too low: go on to the next choice predicted to need no more memory.
            guard let next = choices[(index + 1)...].firstIndex(where: { $0.predictedPeak <= choice.predictedPeak }) else {
                throw MemoryPlanError.doesNotFit(
                    budget: budget, smallestPeak: measured.peak,
                    configuration: "\(choice.blocks) of \(names.count) blocks checkpointed and micro-batch "
                        + "\(choice.microBatch) (measured)")
            }
            index = next
        }
    }
}
