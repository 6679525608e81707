import Foundation
import Testing

@testable import MRITraining
import TorchTestSupport

/// Stops a run after its first epoch (and its checkpoint), as a crash or Ctrl-C would.
private final class Interruption: TrainingObserver {
    struct Interrupted: Error {}
    func trainingDidFinishEpoch(_ record: EpochRecord, history: TrainingHistory) throws { throw Interrupted() }
}

/// Runs a task of two epochs uninterrupted in `folder/straight`, and in `folder/split` interrupted
/// after its first epoch then, after reseeding the global generator (as a new process would be),
/// resumed from `last.pt`; expects the same weights and epoch losses. Returns the uninterrupted run.
@discardableResult
func expectResumeGivesSameWeights<Task: TrainingTask>(
    in folder: String, make: (_ output: String) throws -> Task
) throws -> Task {
    let reference = try make(folder + "/straight")
    let history = try reference.run()
    #expect(history.epochs.count == 2)
    #expect(history.epochs.allSatisfy { $0.globalStep > 0 && $0.trainingLoss.isFinite })

    let interrupted = try make(folder + "/split")
    interrupted.trainer.observers = [Interruption()]
    #expect(throws: Interruption.Interrupted.self) { try interrupted.run() }
    manualSeed(1234)
    let resumed = try make(folder + "/split")
    try resumed.trainer.resume(from: folder + "/split/last.pt")
    try resumed.run()
    let expected = reference.trainer.model.stateDict()
    let actual = resumed.trainer.model.stateDict()
    #expect(actual.keys == expected.keys)
    for ((name, a), (_, b)) in zip(actual, expected) {
        #expect(maxAbsDifference(a, b) == 0, "\(name)")
    }
    #expect(resumed.trainer.history.epochs.map(\.trainingLoss) == history.epochs.map(\.trainingLoss))
    return reference
}
