import Foundation

/// 2D variable-density masks for 3D Cartesian (two phase-encode directions) sampling.
public enum VariableDensityMask {
    /// Normalised distance from the calibration region: `0` inside it, `1` at the edge
    /// midpoints, `√2` in the corners (sigpy's `r`), for a `[height, width]` grid.
    private static func radius(height: Int, width: Int, calibration: [Int]) -> [Double] {
        func axis(_ n: Int, _ calib: Int) -> [Double] {
            let raw = (0..<n).map { Swift.max(abs(Double($0) - Double(n) / 2) - Double(calib) / 2, 0) }
            let largest = raw.max() ?? 0
            return raw.map { largest > 0 ? $0 / largest : 0 }
        }
        let ys = axis(height, calibration[0])
        let xs = axis(width, calibration[1])
        return ys.flatMap { y in xs.map { x in (x * x + y * y).squareRoot() } }
    }

    private static func validate(shape: [Int], acceleration: Double, calibration: [Int]) throws {
        try MRIError.require(
            shape.count == 2 && shape.allSatisfy { $0 > 1 }, "shape", "needs [height, width] > 1, got \(shape)")
        try MRIError.require(calibration.count == 2, "calibration", "needs [rows, columns], got \(calibration)")
        try MRIError.require(
            zip(calibration, shape).allSatisfy { $0 >= 0 && $0 <= $1 }, "calibration",
            "\(calibration) does not fit in \(shape)")
        let full = Double(shape[0] * shape[1])
        let calibrated = Double(calibration[0] * calibration[1])
        try MRIError.require(
            acceleration >= 1 && full / acceleration >= calibrated, "acceleration",
            "\(acceleration) leaves fewer samples than the \(calibration) calibration region")
    }

    /// Sets the centred calibration rectangle `calibration` of a row-major `[height, width]` grid.
    private static func fillCalibration(_ grid: inout [Bool], shape: [Int], calibration: [Int]) {
        let rows = (shape[0] / 2 - calibration[0] / 2)..<(shape[0] / 2 - calibration[0] / 2 + calibration[0])
        let columns = (shape[1] / 2 - calibration[1] / 2)..<(shape[1] / 2 - calibration[1] / 2 + calibration[1])
        for y in rows { for x in columns { grid[y * shape[1] + x] = true } }
    }

    private static func tensor(_ grid: [Bool], shape: [Int]) -> Tensor {
        Tensor(grid.map { $0 ? Float(1) : 0 }, shape: shape)
    }

    /// A variable-density Poisson-disc mask (sigpy.mri.poisson semantics).
    ///
    /// Bridson's dart throwing with an elliptical exclusion radius that grows linearly with the
    /// normalised distance `r` from the calibration region, `(1 + slope·r)` (scaled by each
    /// axis' share of the larger dimension, at least 1 sample); the slope is bisected until the
    /// achieved acceleration is within `tolerance` of `acceleration`. The pattern is drawn from
    /// `NumpyRandomState(seed:)`, so it is reproducible here but not sigpy's bit pattern.
    ///
    /// - Parameters:
    ///   - shape: `[height, width]` of the phase-encode plane.
    ///   - acceleration: requested `height·width / Σ mask`.
    ///   - calibration: the fully sampled centre `[rows, columns]`.
    ///   - cropCorner: drop samples beyond `r = 1` (the corners), as sigpy's `crop_corner`.
    ///   - seed: the seed of every trial pattern.
    ///   - maxAttempts: candidate points tried around each active point.
    ///   - tolerance: accepted `|achieved − acceleration|`.
    /// - Returns: a float32 mask `[height, width]`.
    /// - Throws: `MRIError` for an invalid shape/calibration or when no slope reaches the tolerance.
    public static func poissonDisc(
        shape: [Int], acceleration: Double, calibration: [Int] = [0, 0], cropCorner: Bool = true,
        seed: UInt32 = 0, maxAttempts: Int = 30, tolerance: Double = 0.1
    ) throws -> Tensor {
        try validate(shape: shape, acceleration: acceleration, calibration: calibration)
        let (height, width) = (shape[0], shape[1])
        let r = radius(height: height, width: width, calibration: calibration)
        let larger = Double(Swift.max(height, width))
        var low = 0.0
        var high = larger
        var best: (grid: [Bool], achieved: Double)?
        // Bisection on the slope: more slope, sparser outer k-space, higher acceleration.
        for _ in 0..<64 where low < high {
            let slope = (low + high) / 2
            let rx = r.map { Swift.max((1 + $0 * slope) * Double(width) / larger, 1) }
            let ry = r.map { Swift.max((1 + $0 * slope) * Double(height) / larger, 1) }
            var random = NumpyRandomState(seed: seed)
            var grid = try dartThrowing(
                height: height, width: width, rx: rx, ry: ry, attempts: maxAttempts, random: &random)
            if cropCorner { for k in grid.indices where r[k] >= 1 { grid[k] = false } }
            fillCalibration(&grid, shape: shape, calibration: calibration)
            let achieved = Double(height * width) / Double(grid.filter { $0 }.count)
            if abs(achieved - acceleration) < abs((best?.achieved ?? .infinity) - acceleration) {
                best = (grid, achieved)
            }
            if abs(achieved - acceleration) < tolerance { break }
            if achieved < acceleration { low = slope } else { high = slope }
        }
        guard let found = best, abs(found.achieved - acceleration) < tolerance else {
            throw MRIError(
                "acceleration", "no Poisson-disc density reaches \(acceleration) ± \(tolerance) on \(shape)")
        }
        return tensor(found.grid, shape: shape)
    }

    /// Bridson's algorithm with per-position radii; grid positions are the integer parts of the points.
    private static func dartThrowing(
        height: Int, width: Int, rx: [Double], ry: [Double], attempts: Int, random: inout NumpyRandomState
    ) throws -> [Bool] {
        var grid = [Bool](repeating: false, count: height * width)
        var active = [(x: Double, y: Double)]()
        let first = (x: Double(try random.randint(0, width)), y: Double(try random.randint(0, height)))
        active.append(first)
        grid[Int(first.y) * width + Int(first.x)] = true
        while !active.isEmpty {
            let index = try random.randint(0, active.count)
            let point = active[index]
            let centre = Int(point.y) * width + Int(point.x)
            var accepted: (x: Double, y: Double)?
            for _ in 0..<attempts where accepted == nil {
                // A candidate in the annulus between one and two radii, uniform in area.
                let distance = (random.randomSample() * 3 + 1).squareRoot()
                let angle = 2 * Double.pi * random.randomSample()
                let qx = point.x + distance * rx[centre] * Foundation.cos(angle)
                let qy = point.y + distance * ry[centre] * Foundation.sin(angle)
                guard qx >= 0, qx < Double(width), qy >= 0, qy < Double(height) else { continue }
                if isFree(qx, qy, grid: grid, width: width, height: height, rx: rx, ry: ry, reach: centre) {
                    accepted = (qx, qy)
                }
            }
            if let point = accepted {
                active.append(point)
                grid[Int(point.y) * width + Int(point.x)] = true
            } else {
                active.swapAt(index, active.count - 1)
                active.removeLast()
            }
        }
        return grid
    }

    /// Whether no sample lies inside the ellipse of its own radii around `(qx, qy)`.
    private static func isFree(
        _ qx: Double, _ qy: Double, grid: [Bool], width: Int, height: Int, rx: [Double], ry: [Double], reach: Int
    ) -> Bool {
        let xs = Swift.max(Int(qx - rx[reach]), 0)..<Swift.min(Int(qx + rx[reach] + 1), width)
        let ys = Swift.max(Int(qy - ry[reach]), 0)..<Swift.min(Int(qy + ry[reach] + 1), height)
        for y in ys {
            for x in xs where grid[y * width + x] {
                let dx = (qx - Double(x)) / rx[y * width + x]
                let dy = (qy - Double(y)) / ry[y * width + x]
                if dx * dx + dy * dy < 1 { return false }
            }
        }
        return true
    }

    /// A variable-density Gaussian random mask with a fully sampled calibration region.
    ///
    /// Exactly `round(height·width / acceleration)` positions are acquired: the calibration
    /// rectangle plus positions drawn without replacement with probability proportional to
    /// `exp(−(ky²/2σy² + kx²/2σx²))`, `k` measured from the centre `n/2` and `σ = std·n`.
    /// (Weighted sampling without replacement by the exponential-keys method: the largest
    /// `u^(1/w)` win, `u` uniform from `NumpyRandomState(seed:)`.)
    ///
    /// - Parameters:
    ///   - shape: `[height, width]`.
    ///   - acceleration: requested `height·width / Σ mask`.
    ///   - calibration: the fully sampled centre `[rows, columns]`.
    ///   - std: the Gaussian's standard deviation as a fraction of each dimension.
    ///   - seed: the seed of the draws.
    /// - Returns: a float32 mask `[height, width]`.
    public static func gaussian(
        shape: [Int], acceleration: Double, calibration: [Int] = [0, 0], std: Double = 0.25, seed: UInt32 = 0
    ) throws -> Tensor {
        try validate(shape: shape, acceleration: acceleration, calibration: calibration)
        try MRIError.require(std > 0, "std", "must be positive, got \(std)")
        let (height, width) = (shape[0], shape[1])
        var grid = [Bool](repeating: false, count: height * width)
        fillCalibration(&grid, shape: shape, calibration: calibration)
        let wanted = Int((Double(height * width) / acceleration).rounded(.toNearestOrEven))
        let missing = wanted - grid.filter { $0 }.count
        var random = NumpyRandomState(seed: seed)
        let (sy, sx) = (std * Double(height), std * Double(width))
        var keys = [(key: Double, index: Int)]()
        for y in 0..<height {
            for x in 0..<width where !grid[y * width + x] {
                let dy = (Double(y) - Double(height / 2)) / sy
                let dx = (Double(x) - Double(width / 2)) / sx
                let logWeight = -(dx * dx + dy * dy) / 2
                // log(u^(1/w)) = log(u) / w, compared in log space to avoid underflow.
                let u = Swift.max(random.randomSample(), Double.leastNonzeroMagnitude)
                keys.append((Foundation.log(u) / Foundation.exp(logWeight), y * width + x))
            }
        }
        for entry in keys.sorted(by: { $0.key > $1.key }).prefix(Swift.max(missing, 0)) { grid[entry.index] = true }
        return tensor(grid, shape: shape)
    }
}
