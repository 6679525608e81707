import Foundation

/// Synthetic receive-coil sensitivity maps.
public enum CoilSensitivities {
    /// Sensitivities of `coils` loop coils evenly spaced on a circle around the field of view.
    ///
    /// Coil `c` sits at `R·(cos θ_c, sin θ_c)`, `θ_c = 2πc / coils`, in the phantom coordinates
    /// (`x, y ∈ [−1, 1)`, see `Phantoms`). Its raw sensitivity at a pixel at distance `d` is
    /// Biot–Savart-like: the on-axis field magnitude of a circular loop of radius `a`,
    /// `a² / (a² + d²)^{3/2}`, times the phase `exp(i·atan2(y − y_c, x − x_c))` of the direction
    /// from the coil (a wire's circulating field). The maps are then divided by their root sum
    /// of squares, so `Σ_c |S_c|² = 1` at every pixel and the RSS of `S·x` is `|x|`.
    ///
    /// - Parameters:
    ///   - shape: `[height, width]`.
    ///   - coils: the number of coils (≥ 1).
    ///   - ringRadius: `R`, the distance of the coils from the centre (default 1.5, outside the object).
    ///   - loopRadius: `a`, the loop radius setting how fast sensitivity falls off (default 0.8).
    ///   - device: where to create the maps.
    /// - Returns: complex64 `[1, coils, height, width]`.
    /// - Throws: `MRIError` for a bad shape, coil count or radius.
    public static func loopCoils(
        shape: [Int], coils: Int, ringRadius: Double = 1.5, loopRadius: Double = 0.8, device: Device? = nil
    ) throws -> Tensor {
        try MRIError.require(
            shape.count == 2 && shape.allSatisfy { $0 > 0 }, "shape", "needs [height, width] > 0, got \(shape)")
        try MRIError.require(coils >= 1, "coils", "needs at least one coil, got \(coils)")
        try MRIError.require(ringRadius > 0 && loopRadius > 0, "ringRadius/loopRadius", "must be positive")
        let grid = Phantoms.Grid(shape, device: device)
        let squaredRadius = loopRadius * loopRadius
        var magnitudes: [Tensor] = []
        var phases: [Tensor] = []
        for coil in 0..<coils {
            let angle = 2 * Double.pi * Double(coil) / Double(coils)
            let dx = grid.x - ringRadius * cos(angle)
            let dy = grid.y - ringRadius * sin(angle)
            magnitudes.append(squaredRadius / (dx * dx + dy * dy + squaredRadius).pow(1.5))
            phases.append(dy.atan2(dx))
        }
        let magnitude = Tensor.stack(magnitudes)
        // Normalised in float64 before rounding, so Σ|S|² = 1 to float32 precision.
        let normalised = magnitude / magnitude.square().sum(dim: 0, keepdim: true).sqrt()
        return Tensor.polar(abs: normalised, angle: Tensor.stack(phases)).to(dtype: .complex64).unsqueeze(0)
    }
}
