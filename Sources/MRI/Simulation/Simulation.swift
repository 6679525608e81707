import Foundation

/// A simulated multi-coil acquisition with its ground truth.
public struct SimulatedAcquisition {
    /// Undersampled noisy k-space `mask·(F(S·x) + n)`: complex64 `[batch, coils, H, W]`.
    public let kspace: Tensor
    /// The sampling mask, broadcastable to `kspace` (all ones when none was given).
    public let mask: Tensor
    /// The coil sensitivities `S`, normalised to `Σ_c |S_c|² = 1`: complex64 `[batch, coils, H, W]`.
    public let sensitivities: Tensor
    /// The complex object `x` (magnitude times background phase): complex64 `[batch, 1, H, W]`.
    /// The RSS of the noiseless fully sampled coil images equals `|target|`.
    public let target: Tensor
    /// The noise standard deviation `σ` per complex k-space sample (`E|n|² = σ²`), 0 without noise.
    public let noiseStd: Double
}

/// Simulates multi-coil acquisitions of known objects.
public enum Simulation {
    /// A smooth background phase `φ(x, y) = amplitude·(0.6x + 0.4y + 0.5(x² + y²))` radians on
    /// the phantom grid: `[height, width]` float32.
    public static func backgroundPhase(shape: [Int], amplitude: Double, device: Device? = nil) -> Tensor {
        let ys = Phantoms.axis(shape[0]).map { -$0 }
        let xs = Phantoms.axis(shape[1])
        let values = ys.flatMap { y in
            xs.map { x in Float(amplitude * (0.6 * x + 0.4 * y + 0.5 * (x * x + y * y))) }
        }
        return Tensor(values, shape: shape).to(device: device)
    }

    /// Simulates an acquisition of `object` with `coils` loop coils (`CoilSensitivities.loopCoils`).
    ///
    /// Noise: white complex Gaussian noise `n` with `E|n|² = σ²` per k-space sample and coil
    /// (real and imaginary parts each of variance `σ²/2`), where
    /// `SNR = mean(|x| over the object support |x| > 0) / σ`. The FFT being orthonormal, `σ` is
    /// also the noise standard deviation of each coil image.
    ///
    /// - Parameters:
    ///   - object: real magnitude `[batch, H, W]` (e.g. `Phantoms.sheppLogan`, unsqueezed).
    ///   - coils: the number of coils.
    ///   - snr: the signal-to-noise ratio as defined above; `nil` for no noise.
    ///   - mask: a sampling mask broadcastable to `[batch, coils, H, W]` (e.g. `[1, 1, 1, W]`); `nil` samples all.
    ///   - phaseAmplitude: the amplitude of `backgroundPhase` (0 keeps the object real).
    ///   - seed: the seed of the noise (a libtorch CPU generator; the same seed gives the same noise).
    /// - Throws: `MRIError` for a non-3D or complex object, a non-positive SNR, an object with no
    ///   support, or a mask that does not broadcast.
    public static func acquire(
        object: Tensor, coils: Int, snr: Double? = nil, mask: Tensor? = nil, phaseAmplitude: Double = 1,
        seed: UInt64 = 0
    ) throws -> SimulatedAcquisition {
        try MRIError.require(
            object.rank == 3 && !object.dtype.isComplex, "object", "must be real [batch, H, W], got \(object.shape) \(object.dtype)")
        let (batch, height, width) = (object.shape[0], object.shape[1], object.shape[2])
        let device = object.device
        let full = [batch, coils, height, width]
        let sampling = mask ?? Tensor.ones([1, 1, 1, width], device: device)
        try MRIError.require(
            Tensor.broadcastShapes(sampling.shape, full) == full, "mask",
            "shape \(sampling.shape) does not broadcast to k-space \(full)")
        let sensitivities = try CoilSensitivities.loopCoils(shape: [height, width], coils: coils, device: device)
            .expand(full).contiguous()
        let phase = backgroundPhase(shape: [height, width], amplitude: phaseAmplitude, device: device)
        let magnitude = object.to(dtype: .float32).unsqueeze(1)
        let target = Tensor.polar(abs: magnitude, angle: phase.expand(as: magnitude))
        var kspace = CenteredFFT.forward(sensitivities * target)
        var noiseStd = 0.0
        if let snr {
            try MRIError.require(snr > 0 && snr.isFinite, "snr", "must be positive and finite, got \(snr)")
            let support = magnitude.abs() .> 0
            let supportCount = support.sum().item(Int64.self)
            try MRIError.require(supportCount > 0, "object", "is zero everywhere, so its SNR is undefined")
            let meanSignal = magnitude.abs().sum().to(dtype: .float64).item(Double.self) / Double(supportCount)
            noiseStd = meanSignal / snr
            // randn on complex64 gives E|n|² = 1 (each part variance 1/2); drawn on the CPU so the
            // seed gives the same noise on every device.
            let noise = Tensor.randn(full, dtype: .complex64, generator: Generator(seed: seed)).to(device: device)
            kspace = kspace + noise * noiseStd
        }
        kspace = kspace * sampling.to(dtype: .float32)
        return SimulatedAcquisition(
            kspace: kspace, mask: sampling, sensitivities: sensitivities, target: target, noiseStd: noiseStd)
    }
}
