import Foundation
import Testing

@testable import MRITraining
import TorchTestSupport

@Suite("Training logs")
struct TrainingLogTests {
    @Test("CRC-32C of \"123456789\" is the published check value 0xE3069283")
    func crc32c() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test("TensorBoard events are byte-identical to PyTorch's SummaryWriter.add_scalar")
    func tensorBoardMatchesPyTorch() throws {
        let fixture = try Fixture("tensorboard_events")
        let wallTimes = fixture.tensor("wall_times").toArray(of: Double.self)
        let steps = fixture.tensor("steps").toArray(of: Int64.self)
        let values = fixture.tensor("values").toArray(of: Double.self)
        let tags = ["train/loss", "val/ssim", "train/loss", "train/lr"]
        #expect(TensorBoardLog.record(TensorBoardLog.fileVersionEvent(
            wallTime: wallTimes[0], writer: "tensorboard.summary.writer.event_file_writer"))
            == fixture.tensor("record0").toArray(of: UInt8.self))
        for index in 0..<tags.count {
            let event = TensorBoardLog.scalarEvent(
                tag: tags[index], value: Float(values[index]), step: Int(steps[index + 1]), wallTime: wallTimes[index + 1])
            #expect(TensorBoardLog.record(event) == fixture.tensor("record\(index + 1)").toArray(of: UInt8.self))
        }
    }

    @Test("the CSV has one row per epoch and an empty cell where an epoch did not validate")
    func csvTable() {
        var history = TrainingHistory()
        history.epochs = [
            EpochRecord(epoch: 1, globalStep: 10, trainingLoss: 0.5, learningRate: 0.1, metrics: nil,
                        batchesPerSecond: 20, seconds: 0.5),
            EpochRecord(epoch: 2, globalStep: 20, trainingLoss: 0.25, learningRate: 0.05,
                        metrics: ["ssim": 0.75, "psnr": 30], batchesPerSecond: 25, seconds: 0.4),
        ]
        #expect(CSVLog.table(history) == """
            epoch,global_step,train_loss,lr,batches_per_second,seconds,psnr,ssim
            1,10,0.5,0.1,20.0,0.5,,
            2,20,0.25,0.05,25.0,0.4,30.0,0.75

            """)
    }

    @Test("the progress line shows the epoch, bar, loss and ETA; the epoch line its metrics")
    func progressBar() {
        var output = ""
        let bar = ProgressBar(isTerminal: true) { output += $0 }
        bar.trainingWillStart(epochs: 3, startEpoch: 0, history: TrainingHistory())
        bar.trainingDidStep(StepProgress(epoch: 0, epochs: 3, batch: 5, batchesPerEpoch: 10, meanLoss: 0.25,
                                         batchesPerSecond: 5))
        // 5 batches left at 5/s, then 2 epochs of 10 batches at 5/s: 1 + 4 s.
        #expect(output.contains("epoch 1/3 [==========          ] 5/10 loss 0.2500  5.0 batch/s"))
        #expect(output.hasSuffix("ETA 0:05"))
        var history = TrainingHistory()
        let record = EpochRecord(epoch: 1, globalStep: 10, trainingLoss: 0.25, learningRate: 1e-4,
                                 metrics: ["ssim": 0.5], batchesPerSecond: 5, seconds: 2)
        history.epochs = [record]
        history.bestEpoch = 1
        bar.trainingDidFinishEpoch(record, history: history)
        #expect(output.hasSuffix("epoch 1  loss 0.2500  lr 1.000e-04  ssim 0.5000  5.0 batch/s  0:02  (best)\n"))
    }
}
