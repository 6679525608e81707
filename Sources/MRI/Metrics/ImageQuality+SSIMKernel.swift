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

/// The volume's inputs and map, shared by concurrent slices (each reads and writes only its own part).
struct SlicePointers: @unchecked Sendable {
    let x: UnsafePointer<Double>
    let y: UnsafePointer<Double>
    let map: UnsafeMutablePointer<Double>
}

/// One slice's 7-wide row sums of x, y, x², y², xy, then their 7-tall column sums and the SSIM map.
struct SSIMWindowSums {
    private let height: Int
    private let width: Int
    private let outWidth: Int
    /// Row sums, moment-major: `[5][height][outWidth]`.
    private var rows: [Double]

    init(height: Int, width: Int) {
        self.height = height
        self.width = width
        outWidth = width - ImageQuality.ssimWindow + 1
        rows = [Double](repeating: 0, count: 5 * height * outWidth)
    }

    /// Running sums along each row of the slice at `x`, `y` (`height × width`, row-major).
    mutating func fill(x: UnsafePointer<Double>, y: UnsafePointer<Double>) {
        let window = ImageQuality.ssimWindow
        let (height, width, outWidth) = (self.height, self.width, self.outWidth)
        let plane = height * outWidth
        rows.withUnsafeMutableBufferPointer { rows in
            for row in 0..<height {
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
                    let index = row * outWidth + column - window + 1
                    rows[index] = sums.0
                    rows[plane + index] = sums.1
                    rows[2 * plane + index] = sums.2
                    rows[3 * plane + index] = sums.3
                    rows[4 * plane + index] = sums.4
                }
            }
        }
    }

    /// Running sums of the row sums down each column, row by row, and the SSIM of each full window
    /// written to `map` (`(height − 6) × outWidth`, row-major).
    func columnSums(_ constants: SSIMConstants, into map: UnsafeMutablePointer<Double>) {
        let window = ImageQuality.ssimWindow
        let (height, outWidth) = (self.height, self.outWidth)
        let plane = height * outWidth
        var sums = [Double](repeating: 0, count: 5 * outWidth)
        rows.withUnsafeBufferPointer { rows in
            sums.withUnsafeMutableBufferPointer { sums in
                for row in 0..<height {
                    for moment in 0..<5 {
                        let added = moment * plane + row * outWidth
                        let total = moment * outWidth
                        for column in 0..<outWidth { sums[total + column] += rows[added + column] }
                        guard row >= window else { continue }
                        let removed = added - window * outWidth
                        for column in 0..<outWidth { sums[total + column] -= rows[removed + column] }
                    }
                    guard row >= window - 1 else { continue }
                    let out = map + (row - window + 1) * outWidth
                    for column in 0..<outWidth {
                        out[column] = constants.ssim(
                            sums: sums[column], sums[outWidth + column], sums[2 * outWidth + column],
                            sums[3 * outWidth + column], sums[4 * outWidth + column])
                    }
                }
            }
        }
    }
}
