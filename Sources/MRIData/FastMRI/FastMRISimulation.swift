import Foundation

/// Writes simulated multi-coil acquisitions of known images as fastMRI-layout files, so every
/// fastMRI tool (and MRIKit's `FastMRISliceDataset`) reads them as it reads the real dataset.
///
/// Training and validation files hold fully sampled k-space and `reconstruction_rss` (masks are
/// drawn at load time, as fastMRI does); test files hold k-space undersampled by a fixed mask, the
/// `mask` dataset and the `acceleration` / `num_low_frequency` attributes, and no target.
/// The header's encoding and recon sizes are the image size, with no k-space padding.
public struct FastMRISimulation: Sendable {
    /// Receive coils (loop coils around the object, `CoilSensitivities.loopCoils`).
    public var coils: Int
    /// Signal-to-noise ratio of the complex Gaussian k-space noise (`Simulation.acquire`); `nil`: none.
    public var snr: Double?
    /// Amplitude (radians) of the smooth background phase.
    public var phaseAmplitude: Double
    /// The `acquisition` attribute written (fastMRI brain files use `AXT1`, `AXT2`, `AXFLAIR`, ...).
    public var acquisition: String

    /// A simulation with `coils` coils (defaults: SNR 40, a background phase of 1 rad, `AXT1`).
    public init(coils: Int = 8, snr: Double? = 40, phaseAmplitude: Double = 1, acquisition: String = "AXT1") {
        self.coils = coils
        self.snr = snr
        self.phaseAmplitude = phaseAmplitude
        self.acquisition = acquisition
    }

    /// Writes `volume` (`[slices, H, W]`, real or complex) to `path`.
    ///
    /// - Parameters:
    ///   - patientID: the `patient_id` attribute.
    ///   - seed: the noise seed (each volume should have its own).
    ///   - testMask: for a test file, the mask function whose draw (seeded by the file name, as
    ///     fastMRI does) undersamples the k-space; `nil` writes a training/validation file.
    /// - Returns: the fully sampled RSS target `[slices, H, W]`.
    /// - Throws: `MRIError` for a volume that is not 3-D or not finite, `DataError` if writing fails.
    @discardableResult
    public func write(
        volume: Tensor, to path: String, patientID: String, seed: UInt64, testMask: (any MaskFunction)? = nil
    ) throws -> Tensor {
        guard volume.rank == 3 else { throw MRIError("volume", "must be [slices, H, W], got \(volume.shape)") }
        let acquired = try Simulation.acquire(
            object: volume, coils: coils, snr: snr, phaseAmplitude: phaseAmplitude, seed: seed)
        var kspace = acquired.kspace
        let target = CoilCombination.rootSumOfSquares(CenteredFFT.inverse(kspace), dim: 1)
        let (height, width) = (volume.size(1), volume.size(2))
        let header = FastMRIHeader(
            encodingSize: [height, width, 1], reconSize: [height, width, 1], encodingCenter: width / 2,
            encodingMaximum: width - 1)
        var attributes = FastMRIAttributes(
            acquisition: acquisition, max: Double(target.max().item(Float.self)),
            norm: target.to(dtype: .float64).square().sum().sqrt().item(Double.self), patientID: patientID)
        var reconstructions: [FastMRIReconstruction: Tensor] = [.rss: target]
        var maskColumns: Tensor?
        if var maskFunction = testMask {
            let fileName = URL(fileURLWithPath: path).lastPathComponent
            let sampled = try maskFunction(kspace.shape, seed: .fileName(fileName))
            kspace = kspace * sampled.mask
            maskColumns = sampled.mask.flatten()
            let statistics = try MaskStatistics(sampled.mask)
            attributes.acceleration = Int(statistics.acceleration.rounded())
            attributes.numLowFrequency = sampled.numLowFrequencies
            reconstructions = [:]
        }
        try FastMRIFile.write(
            to: path, kspace: kspace, header: header, attributes: attributes, reconstructions: reconstructions,
            mask: maskColumns)
        return target
    }
}
