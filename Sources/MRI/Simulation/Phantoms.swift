import Foundation

/// Analytic test objects on a grid: pixel `(i, j)` of an `[H, W]` image sits at
/// `x = (j − ⌊W/2⌋) / (W/2)`, `y = (⌊H/2⌋ − i) / (H/2)` (y points up the rows) and, in 3D, voxel
/// `k` of `D` at `z = (k − ⌊D/2⌋) / (D/2)`: the centre is at index `n/2`, as the centred FFT
/// expects. This is BART's `phantom` grid, so `sheppLogan` equals `bart phantom -x N`.
public enum Phantoms {
    /// One ellipse (ellipsoid in 3D): added `intensity` inside `Σ ((p − centre)_rotated / axis)² ≤ 1`,
    /// rotated by `angle` degrees in the x–y plane.
    struct Ellipse {
        let intensity: Double
        let axes: [Double]
        let centre: [Double]
        private let cosine: Double
        private let sine: Double

        init(intensity: Double, axes: [Double], centre: [Double], angle: Double) {
            self.intensity = intensity
            self.axes = axes
            self.centre = centre
            cosine = cos(angle * .pi / 180)
            sine = sin(angle * .pi / 180)
        }

        /// Where the grid points `(x, y, z)` lie inside: a bool tensor of their shape.
        /// Computed in float64 with the same operations as BART, so boundary pixels agree.
        func contains(_ grid: Grid) -> Tensor {
            let dx = grid.x - centre[0]
            let dy = grid.y - centre[1]
            let u = (dx * cosine + dy * sine) / axes[0]
            let v = (dy * cosine - dx * sine) / axes[1]
            var radius = u * u + v * v
            if let z = grid.z, axes.count == 3 {
                let w = (z - centre[2]) / axes[2]
                radius = radius + w * w
            }
            return radius .<= 1
        }
    }

    /// The float64 coordinates of every pixel (voxel) of a grid, each broadcast to its shape.
    struct Grid {
        let x: Tensor
        let y: Tensor
        let z: Tensor?

        init(_ shape: [Int], device: Device?) {
            func coordinates(_ dim: Int, sign: Double) -> Tensor {
                var view = [Int](repeating: 1, count: shape.count)
                view[dim] = shape[dim]
                let values = axis(shape[dim]).map { sign * $0 }
                return Tensor(values, shape: view).to(device: device).expand(shape)
            }
            let last = shape.count - 1
            x = coordinates(last, sign: 1)
            y = coordinates(last - 1, sign: -1)
            z = shape.count == 3 ? coordinates(0, sign: 1) : nil
        }
    }

    /// The modified Shepp–Logan ellipses (Toft 1996; the intensities of skimage and BART's `phantom`).
    static let sheppLogan2D: [Ellipse] = [
        Ellipse(intensity: 1.0, axes: [0.69, 0.92], centre: [0, 0], angle: 0),
        Ellipse(intensity: -0.8, axes: [0.6624, 0.874], centre: [0, -0.0184], angle: 0),
        Ellipse(intensity: -0.2, axes: [0.11, 0.31], centre: [0.22, 0], angle: -18),
        Ellipse(intensity: -0.2, axes: [0.16, 0.41], centre: [-0.22, 0], angle: 18),
        Ellipse(intensity: 0.1, axes: [0.21, 0.25], centre: [0, 0.35], angle: 0),
        Ellipse(intensity: 0.1, axes: [0.046, 0.046], centre: [0, 0.1], angle: 0),
        Ellipse(intensity: 0.1, axes: [0.046, 0.046], centre: [0, -0.1], angle: 0),
        Ellipse(intensity: 0.1, axes: [0.046, 0.023], centre: [-0.08, -0.605], angle: 0),
        Ellipse(intensity: 0.1, axes: [0.023, 0.023], centre: [0, -0.606], angle: 0),
        Ellipse(intensity: 0.1, axes: [0.023, 0.046], centre: [0.06, -0.605], angle: 0),
    ]

    /// The 3D modified Shepp–Logan ellipsoids (Kak & Slaney's 3D extension with Toft's
    /// intensities, as in Schabel's `phantom3d`). Rotations are in the x–y plane only: the
    /// published 10° out-of-plane tilt of the two oblique ellipsoids is omitted.
    static let sheppLogan3D: [Ellipse] = [
        Ellipse(intensity: 1.0, axes: [0.69, 0.92, 0.81], centre: [0, 0, 0], angle: 0),
        Ellipse(intensity: -0.8, axes: [0.6624, 0.874, 0.78], centre: [0, -0.0184, 0], angle: 0),
        Ellipse(intensity: -0.2, axes: [0.11, 0.31, 0.22], centre: [0.22, 0, 0], angle: -18),
        Ellipse(intensity: -0.2, axes: [0.16, 0.41, 0.28], centre: [-0.22, 0, 0], angle: 18),
        Ellipse(intensity: 0.1, axes: [0.21, 0.25, 0.41], centre: [0, 0.35, -0.15], angle: 0),
        Ellipse(intensity: 0.1, axes: [0.046, 0.046, 0.05], centre: [0, 0.1, 0.25], angle: 0),
        Ellipse(intensity: 0.1, axes: [0.046, 0.046, 0.05], centre: [0, -0.1, 0.25], angle: 0),
        Ellipse(intensity: 0.1, axes: [0.046, 0.023, 0.05], centre: [-0.08, -0.605, 0], angle: 0),
        Ellipse(intensity: 0.1, axes: [0.023, 0.023, 0.02], centre: [0, -0.606, 0], angle: 0),
        Ellipse(intensity: 0.1, axes: [0.023, 0.046, 0.02], centre: [0.06, -0.605, 0], angle: 0),
    ]

    /// The grid coordinate of each index along a dimension of size `n` (`x` and `z`; `y` is negated).
    static func axis(_ n: Int) -> [Double] { (0..<n).map { (Double($0) - Double(n / 2)) / (Double(n) / 2) } }

    private static func render(_ ellipses: [Ellipse], shape: [Int], device: Device?) -> Tensor {
        let grid = Grid(shape, device: device)
        // Summed in float64 in table order, as BART does, then rounded once.
        var image = Tensor.zeros(shape, dtype: .float64, device: device)
        for ellipse in ellipses { image = image + ellipse.contains(grid).to(dtype: .float64) * ellipse.intensity }
        return image.to(dtype: .float32)
    }

    /// The modified Shepp–Logan phantom `[height, width]` (float32, values in `[0, 1]`).
    /// - Throws: `MRIError` if `shape` is not two positive sizes.
    public static func sheppLogan(_ shape: [Int], device: Device? = nil) throws -> Tensor {
        try MRIError.require(
            shape.count == 2 && shape.allSatisfy { $0 > 0 }, "shape", "needs [height, width] > 0, got \(shape)")
        return render(sheppLogan2D, shape: shape, device: device)
    }

    /// The 3D modified Shepp–Logan phantom `[depth, height, width]` (float32).
    /// - Throws: `MRIError` if `shape` is not three positive sizes.
    public static func sheppLogan3D(_ shape: [Int], device: Device? = nil) throws -> Tensor {
        try MRIError.require(
            shape.count == 3 && shape.allSatisfy { $0 > 0 }, "shape", "needs [depth, height, width] > 0, got \(shape)")
        return render(sheppLogan3D, shape: shape, device: device)
    }

    /// The tissues of `brain(_:)`, with their label values and proton-density-like intensities.
    public enum Tissue: Int, CaseIterable, Sendable {
        case background = 0, fat, csf, grayMatter, whiteMatter, lesion

        /// The signal of the tissue in `brain(_:)` (a proton-density-like contrast).
        public var intensity: Double {
            switch self {
            case .background: 0
            case .fat: 0.9
            case .csf: 1.0
            case .grayMatter: 0.8
            case .whiteMatter: 0.65
            case .lesion: 0.95
            }
        }
    }

    /// The brain phantom's regions, painted in order (later ones overwrite earlier ones).
    private static let brainRegions: [(Tissue, Ellipse)] = [
        (.fat, Ellipse(intensity: 0, axes: [0.72, 0.9], centre: [0, 0], angle: 0)),
        (.csf, Ellipse(intensity: 0, axes: [0.66, 0.84], centre: [0, 0], angle: 0)),
        (.grayMatter, Ellipse(intensity: 0, axes: [0.62, 0.8], centre: [0, 0], angle: 0)),
        (.whiteMatter, Ellipse(intensity: 0, axes: [0.5, 0.68], centre: [0, 0], angle: 0)),
        (.grayMatter, Ellipse(intensity: 0, axes: [0.12, 0.1], centre: [0.18, 0.1], angle: 0)),
        (.grayMatter, Ellipse(intensity: 0, axes: [0.12, 0.1], centre: [-0.18, 0.1], angle: 0)),
        (.csf, Ellipse(intensity: 0, axes: [0.06, 0.25], centre: [0.1, -0.1], angle: -15)),
        (.csf, Ellipse(intensity: 0, axes: [0.06, 0.25], centre: [-0.1, -0.1], angle: 15)),
        (.lesion, Ellipse(intensity: 0, axes: [0.05, 0.05], centre: [0.3, -0.35], angle: 0)),
    ]

    /// A brain-like 2D phantom with labelled tissues: scalp fat, a CSF layer, cortical gray
    /// matter, white matter, deep gray nuclei, two lateral ventricles (CSF) and a small lesion.
    ///
    /// - Parameter shape: `[height, width]`.
    /// - Returns: `image` (float32 `[height, width]`, each pixel its tissue's `intensity`) and
    ///   `labels` (int64 `[height, width]`, `Tissue.rawValue`).
    /// - Throws: `MRIError` if `shape` is not two positive sizes.
    public static func brain(_ shape: [Int], device: Device? = nil) throws -> (image: Tensor, labels: Tensor) {
        try MRIError.require(
            shape.count == 2 && shape.allSatisfy { $0 > 0 }, "shape", "needs [height, width] > 0, got \(shape)")
        let grid = Grid(shape, device: device)
        var labels = Tensor.zeros(shape, dtype: .int64, device: device)
        for (tissue, region) in brainRegions {
            labels = labels.maskedFill(region.contains(grid), Double(tissue.rawValue))
        }
        let intensities = Tensor(Tissue.allCases.map { Float($0.intensity) }, shape: [Tissue.allCases.count])
        let image = intensities.to(device: device).indexSelect(dim: 0, index: labels.flatten()).reshape(shape)
        return (image, labels)
    }
}
