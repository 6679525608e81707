import Foundation

/// The variable-density Cartesian mask for dynamic (cine) imaging of Schlemper et al.'s
/// Deep-MRI-Reconstruction (`cartesian_mask`, density "estimated from kt FOCUSS"), which the
/// BME1312 cine project uses: a different random pattern in every frame.
///
/// Each frame keeps `sampleN` centre lines and draws `⌊nx / acceleration⌋ − sampleN` more lines
/// without replacement from the density `exp(−s (k − nx/2)²) + 1/(2·acceleration)` with
/// `s = 0.5 / (nx/10)²` (a Gaussian plus a uniform floor). The draws reproduce NumPy's
/// `np.random.choice(nx, n, False, pdf)` with `NumpyRandomState`, so `np.random.seed(s)` followed
/// by the Python function gives the same masks as `NumpyRandomState(seed: s)` here.
public enum CineMask {
    /// Cartesian masks, one per frame, sampling along the second-to-last dimension.
    ///
    /// - Parameters:
    ///   - shape: `[…, nx, ny]`, e.g. `[1, frames, nx, ny]`; one pattern per index of the leading dims.
    ///   - acceleration: the undersampling factor (need not be an integer).
    ///   - sampleN: fully sampled centre lines (`nx/2 − sampleN/2 ..< nx/2 + sampleN/2`).
    ///   - centred: `false` moves the k-space centre to index 0 (`ifftshift`), as the original default.
    ///   - random: the stream to draw from; advanced by the draws.
    /// - Returns: a float32 mask of `shape`, constant along the last dimension.
    /// - Throws: `MRIError` for a shape under 2D or a line count the density cannot supply.
    public static func cartesian(
        shape: [Int], acceleration: Double, sampleN: Int = 10, centred: Bool = true, random: inout NumpyRandomState
    ) throws -> Tensor {
        try MRIError.require(
            shape.count >= 2 && shape.allSatisfy { $0 > 0 }, "shape", "needs ≥ 2 positive dims, got \(shape)")
        try MRIError.require(acceleration >= 1, "acceleration", "must be at least 1, got \(acceleration)")
        let nx = shape[shape.count - 2]
        let ny = shape[shape.count - 1]
        let frames = shape.dropLast(2).reduce(1, *)
        let centre = (nx / 2 - sampleN / 2)..<(nx / 2 + sampleN / 2)
        try MRIError.require(
            sampleN >= 0 && centre.lowerBound >= 0, "sampleN", "\(sampleN) centre lines do not fit in \(nx)")
        let lines = Int(Double(nx) / acceleration) - (sampleN > 0 ? sampleN : 0)
        try MRIError.require(
            lines >= 0, "sampleN",
            "\(sampleN) centre lines exceed the \(Int(Double(nx) / acceleration)) lines to acquire")
        let sensitivity = 0.5 / ((Double(nx) / 10) * (Double(nx) / 10))
        let floor = Double(nx) / (2 * acceleration) / Double(nx)
        var density = (0..<nx).map { k -> Double in
            let distance = Double(k) - Double(nx) / 2
            return Foundation.exp(-sensitivity * distance * distance) + floor
        }
        if sampleN > 0 {
            for k in centre { density[k] = 0 }
            let total = density.reduce(0, +)
            density = density.map { $0 / total }
        }
        var rows = [Float](repeating: 0, count: frames * nx)
        for frame in 0..<frames {
            for k in try random.choiceWithoutReplacement(density, count: lines) { rows[frame * nx + k] = 1 }
            for k in centre where sampleN > 0 { rows[frame * nx + k] = 1 }
        }
        var mask = Tensor(rows, shape: [frames, nx, 1]).expand([frames, nx, ny]).reshape(shape)
        if !centred { mask = FFT.ifftshift(mask, dim: [-2, -1]) }
        return mask.contiguous()
    }
}
