import Testing

@testable import MRIData
import TorchTestSupport

@Suite("Simulated fastMRI files")
struct FastMRISimulationTests {
    let volume = try! Phantoms.sheppLogan3D([3, 32, 24])

    @Test("a training file holds full k-space whose RSS is the stored target, with fastMRI's attributes")
    func trainingFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("file_sim_0001.h5")
        let target = try FastMRISimulation(coils: 4, snr: 30).write(volume: volume, to: path, patientID: "p1", seed: 3)
        let file = try FastMRIFile(reading: path)
        #expect(file.metadata.kspaceShape == [3, 4, 32, 24])
        #expect(file.metadata.header.paddingLeft == 0 && file.metadata.header.paddingRight == 24)
        #expect(file.metadata.attributes.patientID == "p1" && file.metadata.attributes.acquisition == "AXT1")
        let stored = try file.reconstruction(.rss)
        // The RSS of the stored (noisy, fully sampled) k-space, recomputed from the file.
        let recomputed = CoilCombination.rootSumOfSquares(CenteredFFT.inverse(try file.kspace()), dim: 1)
        expectClose(stored, recomputed, tolerance: 1e-6)
        expectClose(stored, target, tolerance: 0)
        #expect(abs(file.metadata.attributes.max! - Double(target.max().item(Float.self))) < 1e-6)
        // SNR 30 on a phantom whose mean object intensity is ~0.3: the target stays close to |object|.
        #expect(try ImageQuality.nmse(volume, stored) < 0.05)
        let dataset = try FastMRISliceDataset(root: directory.url.path, challenge: .multiCoil)
        #expect(dataset.count == 3)
    }

    @Test("a test file is undersampled by the file-name-seeded mask and records it")
    func testFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("file_sim_0002.h5")
        let maskFunction = try EquispacedMaskFractionFunc(centerFractions: [0.08], accelerations: [4])
        try FastMRISimulation(coils: 4, snr: nil).write(
            volume: volume, to: path, patientID: "p2", seed: 4, testMask: maskFunction)
        let file = try FastMRIFile(reading: path)
        var reference = maskFunction
        let expected = try reference([3, 4, 32, 24], seed: .fileName("file_sim_0002.h5"))
        let mask = try #require(try file.mask())
        #expect(mask.to(dtype: .float32).toArray(of: Float.self) == expected.mask.flatten().toArray(of: Float.self))
        #expect(file.metadata.attributes.numLowFrequency == expected.numLowFrequencies)
        #expect(file.metadata.attributes.acceleration == 4)
        #expect(file.metadata.reconstructions.isEmpty)
        let unsampled = (try file.kspace()).abs().sum(dim: [0, 1, 2]).toArray(of: Float.self)
        for (column, sampled) in mask.toArray(of: Bool.self).enumerated() where !sampled {
            #expect(unsampled[column] == 0, "column \(column)")
        }
    }
}
