private extension ATen {
    static let nearest1d = ATenOperator("aten::upsample_nearest1d", "vec")
    static let nearest2d = ATenOperator("aten::upsample_nearest2d", "vec")
    static let nearest3d = ATenOperator("aten::upsample_nearest3d", "vec")
    static let nearestExact1d = ATenOperator("aten::_upsample_nearest_exact1d", "vec")
    static let nearestExact2d = ATenOperator("aten::_upsample_nearest_exact2d", "vec")
    static let nearestExact3d = ATenOperator("aten::_upsample_nearest_exact3d", "vec")
    static let linear1d = ATenOperator("aten::upsample_linear1d", "vec")
    static let bilinear2d = ATenOperator("aten::upsample_bilinear2d", "vec")
    static let bicubic2d = ATenOperator("aten::upsample_bicubic2d", "vec")
    static let trilinear3d = ATenOperator("aten::upsample_trilinear3d", "vec")
}

/// The sampling rule of `Functional.interpolate`.
public enum InterpolationMode: String, Sendable {
    /// The nearest input sample at `floor(out · scale)` (PyTorch's legacy rule).
    case nearest
    /// The nearest input sample at pixel centres (`nearest-exact`, matches scikit-image/PIL).
    case nearestExact
    /// Linear along one dimension: `[N, C, L]`.
    case linear
    /// Linear along two dimensions: `[N, C, H, W]`.
    case bilinear
    /// Cubic (a = -0.75) along two dimensions: `[N, C, H, W]`; may overshoot the input range.
    case bicubic
    /// Linear along three dimensions: `[N, C, D, H, W]`.
    case trilinear
}

extension Functional {
    /// Resizes the spatial dimensions of `[N, C, spatial...]` (`torch.nn.functional.interpolate`).
    ///
    /// - Parameters:
    ///   - size: the output spatial size; give this or `scaleFactor`, not both.
    ///   - scaleFactor: the output/input size ratio per spatial dimension (one value for all);
    ///     the output size is `floor(input · scale)` and the scale itself places the samples.
    ///   - alignCorners: for the linear and cubic modes, whether corner samples of input and output
    ///     coincide (`true`) or their pixel areas do (`false`, the default). Must be `nil` for nearest modes.
    public static func interpolate(
        _ input: Tensor, size: [Int]? = nil, scaleFactor: [Double]? = nil, mode: InterpolationMode = .nearest,
        alignCorners: Bool? = nil
    ) -> Tensor {
        let spatial = input.rank - 2
        precondition((size == nil) != (scaleFactor == nil), "interpolate: give exactly one of size and scaleFactor")
        let outputSize: ATenArgument = size.map { .ints(expand($0, to: spatial)) } ?? .none
        let scales: ATenArgument = scaleFactor.map { .doubles(expand($0, to: spatial)) } ?? .none
        switch mode {
        case .nearest, .nearestExact:
            precondition(alignCorners == nil, "interpolate: alignCorners applies only to linear and cubic modes")
            let ops = mode == .nearest
                ? [ATen.nearest1d, ATen.nearest2d, ATen.nearest3d]
                : [ATen.nearestExact1d, ATen.nearestExact2d, ATen.nearestExact3d]
            precondition(
                (1...3).contains(spatial), "interpolate: \(mode) needs a 3-d, 4-d or 5-d input, got \(input.shape)")
            return ops[spatial - 1](.tensor(input), outputSize, scales)
        case .linear, .bilinear, .bicubic, .trilinear:
            let (op, expected): (ATenOperator, Int) = switch mode {
            case .linear: (ATen.linear1d, 1)
            case .bilinear: (ATen.bilinear2d, 2)
            case .bicubic: (ATen.bicubic2d, 2)
            default: (ATen.trilinear3d, 3)
            }
            precondition(
                spatial == expected, "interpolate: \(mode) needs a \(expected + 2)-d input, got \(input.shape)")
            return op(.tensor(input), outputSize, .bool(alignCorners ?? false), scales)
        }
    }

    /// One value stands for every spatial dimension, as a Python scalar does.
    private static func expand<Value>(_ values: [Value], to count: Int) -> [Value] {
        values.count == 1 ? Array(repeating: values[0], count: count) : values
    }
}
