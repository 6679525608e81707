// A worker of MRITrainingTests' distributed-training tests, run as separate processes (alone,
// under `LocalLauncher`, or with hand-set torchrun variables): trains a small MLP with the
// Trainer on a fixed regression set, data-parallel when the environment names a job.
//
//   DistributedWorker <output folder> <epochs> [resume] [kill|stall <rank> <step>] [timeout <seconds>]
//
// Every rank initialises its replica with a different seed, so equal results also show that
// DataParallel starts all replicas from rank 0's weights. Gradients travel in buckets of 256
// bytes, so the MLP's four parameters span several (one larger than a bucket). Each step
// accumulates 4 micro-batches and an epoch has 6: its first step's gradients are averaged
// during the 4th backward (the reducer's hooks), its second's (2 left-over micro-batches) by the
// all-reduce before the step. `kill R S`:
// rank R kills itself (SIGKILL) in the forward pass of optimizer step S, while its peers wait
// on that step's gradients; `stall R S`: it stops itself (SIGSTOP) there instead.
import Foundation
import MRITraining

let samples = 48
let globalBatch = 8

let arguments = CommandLine.arguments
let output = arguments[1]
let epochs = Int(arguments[2])!
func value(after flag: String, _ offset: Int = 1) -> Int? {
    arguments.firstIndex(of: flag).map { Int(arguments[$0 + offset])! }
}
let (fault, faultSignal) = arguments.contains("stall") ? ("stall", SIGSTOP) : ("kill", SIGKILL)
let faultRank = value(after: fault)
let faultStep = value(after: fault, 2)
let timeout = value(after: "timeout") ?? 30

do {
    let position = try DistributedEnvironment(ProcessInfo.processInfo.environment)
    let rank = position?.rank ?? 0
    let worldSize = position?.worldSize ?? 1
    let perRankBatch = globalBatch / worldSize

    let data = Generator(seed: 3)
    let inputs = Tensor.randn([samples, 6], generator: data)
    let targets = (inputs.sum(dim: [1], keepdim: true) * 0.7).sin() + 0.1 * Tensor.randn([samples, 1], generator: data)

    manualSeed(UInt64(11 + rank))
    let model = Sequential(Linear(6, 16), ReLU(), Linear(16, 1))
    let trainer = try Trainer(
        model: model, optimizer: SGD(parameters: model.namedParameters(), lr: 0.05, momentum: 0.9),
        configuration: TrainerConfiguration(epochs: epochs, accumulationSteps: 4, checkpointDirectory: output))
    trainer.dataParallel = try position.map {
        let group = try ProcessGroup($0, timeout: .seconds(timeout))
        group.bucketCapacity = 256
        return try DataParallel(model, processGroup: group)
    }
    if arguments.contains("resume") { try trainer.resume(from: trainer.lastCheckpointPath!) }

    let sampler = try DistributedSampler(count: samples, rank: rank, worldSize: worldSize, seed: 5)
    try trainer.fit(
        trainingBatches: { epoch, body in
            let order = sampler.indices(epoch: epoch)
            for start in stride(from: 0, to: order.count, by: perRankBatch) {
                let index = Tensor(order[start..<start + perRankBatch].map(Int64.init), shape: [perRankBatch])
                try body((inputs.indexSelect(dim: 0, index: index), targets.indexSelect(dim: 0, index: index)))
            }
        },
        loss: { model, batch in
            if rank == faultRank, trainer.globalStep == faultStep { kill(getpid(), faultSignal) }
            return Functional.mseLoss(model(batch.0), target: batch.1)
        })
    // Every rank leaves together: a failing barrier fails the run (and the launcher's job).
    try trainer.dataParallel?.processGroup.barrier()
} catch {
    FileHandle.standardError.write(Data("DistributedWorker: \(error)\n".utf8))
    exit(1)
}
