/// skimage's SSIM constants for one data range, and its formula, shared by the tensor and CPU paths.
struct SSIMConstants {
    let c1: Double
    let c2: Double
    /// 1 / 49: window sums to means.
    let scale = 1 / Double(ImageQuality.ssimWindow * ImageQuality.ssimWindow)
    /// 49 / 48: skimage's sample covariance.
    let covarianceNorm: Double

    init(dataRange: Double) {
        c1 = (ImageQuality.ssimK1 * dataRange) * (ImageQuality.ssimK1 * dataRange)
        c2 = (ImageQuality.ssimK2 * dataRange) * (ImageQuality.ssimK2 * dataRange)
        let samples = Double(ImageQuality.ssimWindow * ImageQuality.ssimWindow)
        covarianceNorm = samples / (samples - 1)
    }

    /// SSIM from the 7×7 window sums of x, y, x², y², xy (tensors or single values).
    func ssim<Value: SSIMArithmetic>(sums x: Value, _ y: Value, _ xx: Value, _ yy: Value, _ xy: Value) -> Value {
        let (ux, uy) = (x.times(scale), y.times(scale))
        let vx = (xx.times(scale) - ux * ux).times(covarianceNorm)
        let vy = (yy.times(scale) - uy * uy).times(covarianceNorm)
        let vxy = (xy.times(scale) - ux * uy).times(covarianceNorm)
        let numerator = (ux * uy).times(2).plus(c1) * vxy.times(2).plus(c2)
        let denominator = (ux * ux + uy * uy).plus(c1) * (vx + vy).plus(c2)
        return numerator / denominator
    }
}

/// The arithmetic the SSIM formula needs, so one definition serves tensors and scalars.
protocol SSIMArithmetic {
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    static func / (lhs: Self, rhs: Self) -> Self
    func times(_ factor: Double) -> Self
    func plus(_ offset: Double) -> Self
}

extension Double: SSIMArithmetic {
    func times(_ factor: Double) -> Double { self * factor }
    func plus(_ offset: Double) -> Double { self + offset }
}

extension Tensor: SSIMArithmetic {
    func times(_ factor: Double) -> Tensor { self * factor }
    func plus(_ offset: Double) -> Tensor { self + offset }
}

/// A chunk's inputs, map and per-slice sums, shared by concurrent slices (each reads and writes only
/// its own part).
struct SlicePointers: @unchecked Sendable {
    let x: UnsafePointer<Double>
    let y: UnsafePointer<Double>
    let map: UnsafeMutablePointer<Double>?
    let sums: UnsafeMutablePointer<Double>
}

/// One slice's SSIM map from running window sums: each row's 7-wide sums of x, y, x², y², xy go into
/// a ring of the last 7 rows, whose running column totals give the 7×7 sums. The working set is a few
/// rows, so it stays in cache.
struct SSIMSliceKernel {
    private let height: Int
    private let width: Int
    private let outWidth: Int
    /// The last 7 rows' row sums, `[7][5][outWidth]`.
    private var ring: [Double]
    /// Column totals of the ring, `[5][outWidth]`.
    private var totals: [Double]

    init(height: Int, width: Int) {
        self.height = height
        self.width = width
        outWidth = width - ImageQuality.ssimWindow + 1
        ring = [Double](repeating: 0, count: ImageQuality.ssimWindow * 5 * outWidth)
        totals = [Double](repeating: 0, count: 5 * outWidth)
    }

    /// The sum of the SSIM map of the slice at `x`, `y` (`height × width`, row-major); the map itself
    /// (`(height − 6) × outWidth`, row-major) is written to `map` if given.
    mutating func run(
        x: UnsafePointer<Double>, y: UnsafePointer<Double>, constants: SSIMConstants,
        map: UnsafeMutablePointer<Double>?
    ) -> Double {
        let window = ImageQuality.ssimWindow
        let (height, width, outWidth) = (self.height, self.width, self.outWidth)
        var total = 0.0
        ring.withUnsafeMutableBufferPointer { ring in
            totals.withUnsafeMutableBufferPointer { totals in
                for row in 0..<height {
                    // The ring slot of row − 7, replaced by this row: take it off the totals first.
                    let slot = (row % window) * 5 * outWidth
                    if row >= window {
                        for index in 0..<(5 * outWidth) { totals[index] -= ring[slot + index] }
                    }
                    let (xRow, yRow) = (x + row * width, y + row * width)
                    var sums = (0.0, 0.0, 0.0, 0.0, 0.0)
                    for column in 0..<width {
                        let (a, b) = (xRow[column], yRow[column])
                        sums = (sums.0 + a, sums.1 + b, sums.2 + a * a, sums.3 + b * b, sums.4 + a * b)
                        if column >= window {
                            let (c, d) = (xRow[column - window], yRow[column - window])
                            sums = (sums.0 - c, sums.1 - d, sums.2 - c * c, sums.3 - d * d, sums.4 - c * d)
                        }
                        guard column >= window - 1 else { continue }
                        let index = column - window + 1
                        ring[slot + index] = sums.0
                        ring[slot + outWidth + index] = sums.1
                        ring[slot + 2 * outWidth + index] = sums.2
                        ring[slot + 3 * outWidth + index] = sums.3
                        ring[slot + 4 * outWidth + index] = sums.4
                    }
                    for index in 0..<(5 * outWidth) { totals[index] += ring[slot + index] }
                    guard row >= window - 1 else { continue }
                    let out = map.map { $0 + (row - window + 1) * outWidth }
                    for column in 0..<outWidth {
                        let value = constants.ssim(
                            sums: totals[column], totals[outWidth + column], totals[2 * outWidth + column],
                            totals[3 * outWidth + column], totals[4 * outWidth + column])
                        total += value
                        out?[column] = value
                    }
                }
            }
        }
        return total
    }
}
