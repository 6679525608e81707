import Torch

/// The fully sampled centre of Cartesian k-space (the auto-calibration signal, ACS) that
/// GRAPPA kernels and coil sensitivities are calibrated from.
///
/// Lines are k-space columns (the last dimension), as fastMRI's masks sample them; the centre
/// block of `n` lines starts at column `(W - n + 1) / 2`, fastMRI's convention.
public enum Calibration {
    /// The number of contiguous sampled columns around the k-space centre `W / 2`.
    ///
    /// - Parameter mask: the sampling mask, any shape with the k-space width as its last
    ///   dimension and the same columns sampled throughout (e.g. fastMRI's `[1, 1, 1, W]`).
    /// - Throws: if the mask is not one column pattern or the centre column is not sampled.
    public static func acsLineCount(mask: Tensor) throws -> Int {
        let columns = try sampledColumns(mask)
        let centre = columns.count / 2
        guard columns[centre] else {
            throw MRIError("mask", "the k-space centre column \(centre) is not sampled (zero ACS lines)")
        }
        var first = centre
        var last = centre
        while first > 0, columns[first - 1] { first -= 1 }
        while last + 1 < columns.count, columns[last + 1] { last += 1 }
        // The block need not sit at fastMRI's start for its length; keep the part that does.
        let count = last - first + 1
        return (1...count).reversed().first { n in
            let start = (columns.count - n + 1) / 2
            return start >= first && start + n - 1 <= last
        } ?? 1
    }

    /// The centre `lines` columns of `kspace`: `[batch, coils, H, W]` → `[batch, coils, H, lines]`.
    ///
    /// - Throws: if `kspace` is not finite multi-coil k-space, or `lines` is not in `1...W`.
    public static func acsRegion(_ kspace: Tensor, lines: Int) throws -> Tensor {
        try validateKSpace(kspace)
        let width = kspace.size(-1)
        guard lines > 0, lines <= width else {
            throw MRIError("ACS lines", "\(lines) is not in 1...\(width) (zero ACS lines or more than the width)")
        }
        return kspace.narrow(dim: -1, start: (width - lines + 1) / 2, length: lines)
    }

    /// The centre columns of `kspace` that `mask` samples contiguously (see ``acsLineCount(mask:)``).
    ///
    /// - Parameters:
    ///   - kspace: `[batch, coils, H, W]` complex.
    ///   - mask: the sampling mask, last dimension `W`.
    /// - Returns: `[batch, coils, H, lines]`.
    public static func acsRegion(_ kspace: Tensor, mask: Tensor) throws -> Tensor {
        try validateKSpace(kspace)
        try validateMask(mask, for: kspace)
        return try acsRegion(kspace, lines: acsLineCount(mask: mask))
    }

    /// The sampled columns of a Cartesian mask that samples whole columns.
    static func sampledColumns(_ mask: Tensor) throws -> [Bool] {
        guard mask.rank >= 1, mask.size(-1) > 0 else {
            throw MRIError("mask", "expected a last dimension of k-space width, got shape \(mask.shape)")
        }
        let rows = mask.to(device: .cpu, dtype: .float32).reshape([-1, mask.size(-1)]).ne(0)
        let columns = rows[0]
        guard rows.eq(columns.unsqueeze(0)).all().item(Bool.self) else {
            throw MRIError("mask", "expected whole sampled columns (the same pattern in every row)")
        }
        return columns.toArray(of: Bool.self)
    }

    /// Every `kernel[0]×kernel[1]` window lying fully inside `region`:
    /// `[batch, coils, h, w]` → `[batch, windows, coils, kernel[0] · kernel[1]]`, the window
    /// offsets in row-major order and the windows in row-major order of their corner.
    static func windows(_ region: Tensor, kernel: [Int]) -> Tensor {
        let (batch, coils) = (region.size(0), region.size(1))
        let rows = region.size(2) - kernel[0] + 1
        let columns = region.size(3) - kernel[1] + 1
        var shifted: [Tensor] = []
        for dy in 0..<kernel[0] {
            for dx in 0..<kernel[1] {
                shifted.append(region[.all, .all, dy..<(dy + rows), dx..<(dx + columns)])
            }
        }
        return Tensor.stack(shifted, dim: -1).reshape([batch, coils, rows * columns, kernel[0] * kernel[1]])
            .permute([0, 2, 1, 3])
    }
}
