private extension ATen {
    static let gridSampler = ATenOperator("aten::grid_sampler")
    static let affineGridGenerator = ATenOperator("aten::affine_grid_generator")
}

/// How `Functional.gridSample` reads between samples. Raw values are ATen's codes.
public enum GridSampleMode: Int, Sendable {
    case bilinear = 0
    case nearest = 1
    /// 4-d inputs only.
    case bicubic = 2
}

/// What `Functional.gridSample` reads outside the input. Raw values are ATen's codes.
public enum GridSamplePadding: Int, Sendable {
    /// Zero.
    case zeros = 0
    /// The nearest edge value.
    case border = 1
    /// The input mirrored at its border.
    case reflection = 2
}

extension Functional {
    /// Samples `input` `[N, C, H, W]` at the normalised (x, y) locations of `grid` `[N, Hout, Wout, 2]`
    /// (or a volume `[N, C, D, H, W]` at (x, y, z) of `[N, Dout, Hout, Wout, 3]`) → `[N, C, Hout, Wout]`.
    /// Locations run from -1 to 1 across the input: through the corner samples' centres with
    /// `alignCorners`, through their outer edges without.
    public static func gridSample(
        _ input: Tensor, grid: Tensor, mode: GridSampleMode = .bilinear, paddingMode: GridSamplePadding = .zeros,
        alignCorners: Bool = false
    ) -> Tensor {
        ATen.gridSampler(.tensor(input), .tensor(grid), .int(mode.rawValue), .int(paddingMode.rawValue),
                         .bool(alignCorners))
    }

    /// The sampling grid of the affine maps `theta` (`[N, 2, 3]` for images, `[N, 3, 4]` for volumes)
    /// for an output of `size` (`[N, C, H, W]` or `[N, C, D, H, W]`), for `gridSample`.
    public static func affineGrid(_ theta: Tensor, size: [Int], alignCorners: Bool = false) -> Tensor {
        ATen.affineGridGenerator(.tensor(theta), .ints(size), .bool(alignCorners))
    }
}
