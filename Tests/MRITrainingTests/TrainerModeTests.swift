import Foundation
import Testing

@testable import MRITraining
import TorchTestSupport

@Suite("Trainer modes: mixed precision and deterministic algorithms", .serialized)
struct TrainerModeTests {
    private let inputs = Tensor.randn([16, 6], generator: Generator(seed: 5))
    private var targets: Tensor { (inputs * 0.5).sum(dim: [1], keepdim: true) }

    private func train(_ precision: DType?, epochs: Int = 3, directory: String? = nil) throws
        -> (model: Sequential, outputDTypes: Set<DType>, trainer: Trainer<Sequential>)
    {
        let generator = Generator(seed: 2)
        let model = Sequential(Linear(6, 16, generator: generator), ReLU(), Linear(16, 1, generator: generator))
        var configuration = TrainerConfiguration(epochs: epochs, checkpointDirectory: directory)
        configuration.mixedPrecision = precision
        let trainer = try Trainer(
            model: model, optimizer: Adam(parameters: model.namedParameters(), lr: 1e-2), configuration: configuration)
        var dtypes = Set<DType>()
        try trainer.fit(
            trainingBatches: { _, body in for start in stride(from: 0, to: 16, by: 4) { try body(start) } },
            loss: { model, start in
                let output = model(inputs[start..<start + 4])
                dtypes.insert(output.dtype)
                return Functional.mseLoss(output.to(dtype: .float32), target: targets[start..<start + 4])
            })
        return (model, dtypes, trainer)
    }

    @Test("bf16 autocast runs the forward pass in bfloat16, keeps float32 weights and follows the float32 run")
    func bfloat16() throws {
        let full = try train(nil), mixed = try train(.bfloat16)
        #expect(full.outputDTypes == [.float32])
        #expect(mixed.outputDTypes == [.bfloat16])
        for ((name, reference), (_, weight)) in zip(full.model.stateDict(), mixed.model.stateDict()) {
            #expect(weight.dtype == .float32)
            // bfloat16 keeps 8 significant bits (relative rounding 2^-9 ≈ 0.002); 12 Adam steps of lr 0.01
            // move each weight by at most 0.12, so the runs differ by far less than a step's size.
            #expect(maxAbsDifference(weight, reference) < 0.01, "\(name)")
            #expect(maxAbsDifference(weight, reference) > 0, "\(name): the bf16 run should round differently")
        }
    }

    @Test("fp16 scales the loss, counts clean steps, and checkpoints the scaler so a resume continues it")
    func float16Scaler() throws {
        let directory = NSTemporaryDirectory() + "mrikit-amp-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try train(.float16, epochs: 2, directory: directory)
        #expect(run.outputDTypes == [.float16])
        // The first scaled steps overflow float16 and are skipped, halving the scale (as PyTorch's
        // GradScaler does); the clean steps after the last overflow are counted.
        let scale = try #require(run.trainer.gradScaler?.scale)
        let backoffs = log2(65536 / scale)
        #expect(backoffs >= 0 && backoffs == backoffs.rounded())
        let saved = try TorchCheckpoint.load(fromPath: directory + "/last.pt")
        #expect(saved["scaler.scale"]?.item(Double.self) == scale)
        let tracker = try #require(saved["scaler._growth_tracker"]?.item(Double.self))
        #expect(tracker >= 1 && tracker + backoffs <= 8)  // 2 epochs × 4 steps
        let resumed = try train(.float16, epochs: 2)
        try resumed.trainer.resume(from: directory + "/last.pt")
        #expect(resumed.trainer.gradScaler?.scale == scale)
        #expect(resumed.trainer.gradScaler?.stateDict()["_growth_tracker"]?.item(Double.self) == tracker)
    }

    @Test("a mixed precision other than bfloat16 or float16 is refused naming the field")
    func badPrecision() {
        var configuration = TrainerConfiguration(epochs: 1)
        configuration.mixedPrecision = .float64
        #expect { try configuration.validate() } throws: { "\($0)".contains("mixed_precision") }
    }

    @Test("deterministic mode holds while fitting and is undone afterwards")
    func deterministicMode() throws {
        let model = Sequential(Linear(6, 1, generator: Generator(seed: 1)))
        var configuration = TrainerConfiguration(epochs: 1)
        configuration.deterministic = true
        let trainer = try Trainer(model: model, optimizer: SGD(parameters: model.namedParameters(), lr: 0.1),
                                  configuration: configuration)
        var seen: [Bool] = []
        #expect(!Runtime.deterministicAlgorithms)
        try trainer.fit(
            trainingBatches: { _, body in try body(0) },
            loss: { model, _ in
                seen.append(Runtime.deterministicAlgorithms)
                return Functional.mseLoss(model(inputs), target: targets)
            })
        #expect(seen == [true])
        #expect(!Runtime.deterministicAlgorithms)
    }
}
