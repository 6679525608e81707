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
        try MRIError.require(shape.count == 2 && shape.allSatisfy { $0 > 0 }, "shape", "needs [height, width] > 0, got \(shape)")
        try MRIError.require(coils >= 1, "coils", "needs at least one coil, got \(coils)")
        try MRIError.require(ringRadius > 0 && loopRadius > 0, "ringRadius/loopRadius", "must be positive")
        let (height, width) = (shape[0], shape[1])
        var parts = [Float](repeating: 0, count: coils * height * width * 2)
        let ys = Phantoms.axis(height).map { -$0 }
        let xs = Phantoms.axis(width)
        for row in 0..<height {
            for column in 0..<width {
                let (x, y) = (xs[column], ys[row])
                let raw = (0..<coils).map { coil -> (Double, Double) in
                    let angle = 2 * Double.pi * Double(coil) / Double(coils)
                    let dx = x - ringRadius * cos(angle)
                    let dy = y - ringRadius * sin(angle)
                    let magnitude = loopRadius * loopRadius / pow(loopRadius * loopRadius + dx * dx + dy * dy, 1.5)
                    return (magnitude, atan2(dy, dx))
                }
                let norm = raw.reduce(0) { $0 + $1.0 * $1.0 }.squareRoot()
                for (coil, (magnitude, phase)) in raw.enumerated() {
                    let offset = ((coil * height + row) * width + column) * 2
                    parts[offset] = Float(magnitude / norm * cos(phase))
                    parts[offset + 1] = Float(magnitude / norm * sin(phase))
                }
            }
        }
        return Tensor(parts, shape: [1, coils, height, width, 2]).viewAsComplex().to(device: device)
    }
}
