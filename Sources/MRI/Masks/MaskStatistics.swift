/// How much of k-space a mask acquires and how large its fully sampled centre is.
public struct MaskStatistics: Equatable, Sendable {
    /// Grid positions per acquired position: `count / Σ mask` over the mask's own elements.
    public let acceleration: Double
    /// Acquired positions over all positions (`1 / acceleration`).
    public let sampledFraction: Double
    /// The fully sampled centre `[rows, columns]`: along each of the last two dims, the run of
    /// acquired positions through the centre index `n / 2` on the centre line of the other dim,
    /// in every frame (leading dims). A line mask `[…, 1, W]` has `rows == 1`.
    public let calibrationSize: [Int]

    /// The number of fully sampled centre lines along the last dimension (ACS lines).
    public var acsLines: Int { calibrationSize[1] }

    /// Statistics of `mask` (`1`/`true` = acquired), e.g. `[1, 1, 1, W]`, `[H, W]`, `[frames, H, W]`.
    ///
    /// - Throws: `MRIError` for an empty or all-zero mask, or values other than 0 and 1.
    public init(_ mask: Tensor) throws {
        try MRIError.require(mask.count > 0, "mask", "is empty")
        let values = mask.to(device: .cpu, dtype: .float64).contiguous().toArray(of: Double.self)
        try MRIError.require(values.allSatisfy { $0 == 0 || $0 == 1 }, "mask", "must hold only 0 and 1")
        let sampled = values.reduce(0, +)
        try MRIError.require(sampled > 0, "mask", "acquires nothing")
        acceleration = Double(values.count) / sampled
        sampledFraction = sampled / Double(values.count)
        let shape = mask.shape
        let width = shape.last ?? 1
        let height = shape.count >= 2 ? shape[shape.count - 2] : 1
        let frames = values.count / (width * height)
        // A position counts as calibration only if every frame acquires it.
        let everywhere = (0..<(height * width)).map { position in
            (0..<frames).allSatisfy { values[$0 * height * width + position] == 1 }
        }
        let row = (0..<width).map { everywhere[(height / 2) * width + $0] }
        let column = (0..<height).map { everywhere[$0 * width + width / 2] }
        calibrationSize = [Self.runLength(column), Self.runLength(row)]
    }

    /// The length of the run of `true` containing index `count / 2`.
    private static func runLength(_ flags: [Bool]) -> Int {
        let centre = flags.count / 2
        guard flags[centre] else { return 0 }
        var low = centre
        var high = centre
        while low > 0 && flags[low - 1] { low -= 1 }
        while high + 1 < flags.count && flags[high + 1] { high += 1 }
        return high - low + 1
    }
}
