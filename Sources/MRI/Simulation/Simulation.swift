import Foundation

/// A simulated multi-coil acquisition with its ground truth.
public struct SimulatedAcquisition {
    /// Undersampled noisy k-space `mask·(F(S·x) + n)`: complex64 `[batch, coils, H, W]`
    /// (`[batch, coils, D, H, W]` for volumes).
    public let kspace: Tensor
    /// The sampling mask, broadcastable to `kspace` (all ones when none was given).
    public let mask: Tensor
    /// The coil sensitivities `S`, normalised to `Σ_c |S_c|² = 1`: complex64, shaped like `kspace`.
    public let sensitivities: Tensor
    /// The complex object `x` (the object times the background phase): complex64
    /// `[batch, 1, H, W]` (`[batch, 1, D, H, W]` for volumes).
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
        let grid = Phantoms.Grid(shape, device: device)
        let (x, y) = (grid.x, grid.y)
        return ((x * 0.6 + y * 0.4 + (x * x + y * y) * 0.5) * amplitude).to(dtype: .float32)
    }

    /// Simulates an acquisition of `object` with `coils` loop coils (`CoilSensitivities.loopCoils`;
    /// for volumes the same in-plane maps on every slice, the coils being a ring around the object).
    ///
    /// The target is `x = object·exp(iφ)` with `φ = backgroundPhase`; the coil k-space is the centred
    /// FFT of `S·x` over the image dims (2 or 3).
    /// Noise: white complex Gaussian noise `n` with `E|n|² = σ²` per k-space sample and coil
    /// (real and imaginary parts each of variance `σ²/2`), where
    /// `SNR = mean(|x| over the object support |x| > 0) / σ`. The FFT being orthonormal, `σ` is
    /// also the noise standard deviation of each coil image.
    ///
    /// - Parameters:
    ///   - object: real or complex, `[batch, H, W]` (2D) or `[batch, D, H, W]` (3D), e.g.
    ///     `Phantoms.sheppLogan(…).unsqueeze(0)`.
    ///   - coils: the number of coils.
    ///   - snr: the signal-to-noise ratio as defined above; `nil` for no noise.
    ///   - mask: a sampling mask broadcastable to the k-space `[batch, coils, (D,) H, W]`, e.g.
    ///     `[1, 1, 1, W]`; `nil` samples everything.
    ///   - phaseAmplitude: the amplitude of `backgroundPhase` (0 adds no phase).
    ///   - seed: the seed of the noise (a libtorch CPU generator; the same seed gives the same noise).
    /// - Returns: k-space, sensitivities `[batch, coils, (D,) H, W]` and the target `[batch, 1, (D,) H, W]`.
    /// - Throws: `MRIError` for an object that is not 3D/4D or not finite, a bad SNR, an object with
    ///   no support, or a mask that does not broadcast.
    public static func acquire(
        object: Tensor, coils: Int, snr: Double? = nil, mask: Tensor? = nil, phaseAmplitude: Double = 1,
        seed: UInt64 = 0
    ) throws -> SimulatedAcquisition {
        try MRIError.require(
            object.rank == 3 || object.rank == 4, "object",
            "must be [batch, H, W] or [batch, D, H, W], got \(object.shape)")
        try MRIError.require(object.isfinite().all().item(Bool.self), "object", "holds NaN or infinite values")
        let device = object.device
        let spatial = Array(object.shape.dropFirst())
        let (height, width) = (spatial[spatial.count - 2], spatial[spatial.count - 1])
        let full = [object.shape[0], coils] + spatial
        let sampling = mask ?? Tensor.ones([Int](repeating: 1, count: full.count - 1) + [width], device: device)
        try MRIError.require(
            Tensor.broadcastShapes(sampling.shape, full) == full, "mask",
            "shape \(sampling.shape) does not broadcast to k-space \(full)")
        var maps = try CoilSensitivities.loopCoils(shape: [height, width], coils: coils, device: device)
        if spatial.count == 3 { maps = maps.unsqueeze(2) }
        let sensitivities = maps.expand(full).contiguous()
        let phase = backgroundPhase(shape: [height, width], amplitude: phaseAmplitude, device: device)
        let rotation = Tensor.polar(abs: Tensor.ones(like: phase), angle: phase)
        let target = object.to(dtype: .complex64).unsqueeze(1) * rotation
        var kspace = CenteredFFT.forward(sensitivities * target, dims: Array(-spatial.count..<0))
        var noiseStd = 0.0
        if let snr {
            try MRIError.require(snr > 0 && snr.isFinite, "snr", "must be positive and finite, got \(snr)")
            let magnitude = target.abs()
            let supportCount = (magnitude .> 0).sum().item(Int.self)
            try MRIError.require(supportCount > 0, "object", "is zero everywhere, so its SNR is undefined")
            noiseStd = magnitude.sum(dtype: .float64).item(Double.self) / Double(supportCount) / snr
            // randn on complex64 gives E|n|² = 1 (each part variance 1/2); drawn on the CPU so the
            // seed gives the same noise on every device.
            let noise = Tensor.randn(full, dtype: .complex64, generator: Generator(seed: seed)).to(device: device)
            kspace = kspace + noise * noiseStd
        }
        kspace = kspace * sampling.to(device: device, dtype: .float32)
        return SimulatedAcquisition(
            kspace: kspace, mask: sampling, sensitivities: sensitivities, target: target, noiseStd: noiseStd)
    }
}
