import Foundation
import Testing

@testable import mrikit
import MRITraining
import TorchTestSupport

@Suite("mrikit train --memory-budget", .serialized)
struct TrainMemoryBudgetTests {
    /// A tiny simulated dataset and a VarNet recipe with batches of 2, in a fresh folder; returns the recipe.
    private func tinyRecipe(in folder: String) throws -> String {
        let data = folder + "/sim"
        try SimulateCommand.parse([
            "--output", data, "--phantom-volumes", "3", "--slices", "2", "--size", "32", "--coils", "2",
            "--split", "0.34,0.33,0.33", "--center-fraction", "0.25", "--acceleration", "2",
        ]).run()
        let recipe = folder + "/tiny.yaml"
        try """
            task: reconstruction
            model: {name: varnet, num_cascades: 2, chans: 4, pools: 1, sens_chans: 2, sens_pools: 1}
            data:
              train: \(data)/multicoil_train
              val: \(data)/multicoil_val
              mask: {type: equispaced_fraction, center_fractions: [0.25], accelerations: [2]}
              batch_size: 2
              workers: 0
            training: {epochs: 1, optimizer: {name: adam, lr: 0.001}, loss: l1}
            output: \(folder)/run
            """.write(toFile: recipe, atomically: true, encoding: .utf8)
        return recipe
    }

    @Test("a budget that fits trains; a bad or impossible budget is refused, naming the option or the sizes")
    func memoryBudget() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mrikit-budget-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let recipe = try tinyRecipe(in: folder)

        let bad = #expect(throws: MemoryPlanError.self) { try TrainCommand.parse([recipe, "--memory-budget", "lots"]).run() }
        #expect(bad == .invalidSize(field: "--memory-budget", value: "lots"))
        let impossible = #expect(throws: MemoryPlanError.self) {
            try TrainCommand.parse([recipe, "--memory-budget", "1MB"]).run()
        }
        #expect(impossible?.description.contains("cannot fit in the memory budget of 976.6 KiB") == true)
        #expect(!FileManager.default.fileExists(atPath: folder + "/run/log.csv"), "nothing trained")

        try TrainCommand.parse([recipe, "--memory-budget", "1TiB"]).run()
        let log = try String(contentsOfFile: folder + "/run/log.csv", encoding: .utf8)
        #expect(log.split(separator: "\n").count == 2)  // header + 1 epoch
    }
}
