/// Crops the last two dimensions of `data` to `shape` around the centre (fastMRI's
/// `center_crop`; on native complex tensors also its `complex_center_crop`).
///
/// The crop starts at `(n − m) / 2` (rounded down) in each dimension, as fastMRI's. On centred
/// k-space this keeps the low frequencies; when `n − m` is odd and `n` even, the zero frequency
/// moves from `n/2` to `m/2 + 1`, exactly as in fastMRI.
///
/// - Parameters:
///   - data: real or complex `[…, H, W]`, image or k-space.
///   - shape: `[h, w]` with `0 < h ≤ H`, `0 < w ≤ W`.
/// - Returns: `[…, h, w]`.
/// - Throws: `MRIError` if `shape` is not two sizes within the data's.
public func centerCrop(_ data: Tensor, shape: [Int]) throws -> Tensor {
    let size = try lastTwoDims(data, shape)
    try MRIError.require(
        zip(shape, size).allSatisfy { $0 > 0 && $0 <= $1 }, "shape", "\(shape) is not a crop of \(size)")
    return resizeAroundCentre(data, from: size, to: shape)
}

/// Zero-pads the last two dimensions of `data` to `shape`, placing the data where
/// `centerCrop(_:shape:)` of the result takes it back from.
///
/// - Parameters:
///   - data: real or complex `[…, h, w]`.
///   - shape: `[H, W]` with `H ≥ h`, `W ≥ w`.
/// - Returns: `[…, H, W]`.
/// - Throws: `MRIError` if `shape` is not two sizes at least the data's.
public func centerPad(_ data: Tensor, shape: [Int]) throws -> Tensor {
    let size = try lastTwoDims(data, shape)
    try MRIError.require(zip(shape, size).allSatisfy { $0 >= $1 }, "shape", "\(shape) is smaller than \(size)")
    return resizeAroundCentre(data, from: size, to: shape)
}

private func lastTwoDims(_ data: Tensor, _ shape: [Int]) throws -> [Int] {
    try MRIError.require(shape.count == 2, "shape", "needs two sizes [h, w], got \(shape)")
    try MRIError.require(data.rank >= 2, "data", "needs at least 2 dimensions, got \(data.shape)")
    return Array(data.shape.suffix(2))
}

/// Crops (negative padding) or pads so that the first kept index is `(n − m) / 2` rounded down.
private func resizeAroundCentre(_ data: Tensor, from size: [Int], to shape: [Int]) -> Tensor {
    func border(_ n: Int, _ m: Int) -> (Int, Int) {
        let before = m >= n ? (m - n) / 2 : -((n - m) / 2)
        return (before, (m - n) - before)
    }
    let (top, bottom) = border(size[0], shape[0])
    let (left, right) = border(size[1], shape[1])
    return data.pad([left, right, top, bottom])
}
