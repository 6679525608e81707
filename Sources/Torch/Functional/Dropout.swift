private extension ATen {
    static let dropout = ATenOperator("aten::dropout")
    static let featureDropout = ATenOperator("aten::feature_dropout")
    static let alphaDropout = ATenOperator("aten::alpha_dropout")
}

extension Functional {
    /// In training, zeroes each element with probability `p` and scales the rest by `1/(1-p)`, so the
    /// expectation is unchanged; in evaluation, returns the input.
    public static func dropout(_ input: Tensor, p: Double = 0.5, training: Bool = true) -> Tensor {
        checkProbability(p)
        return ATen.dropout(.tensor(input), .double(p), .bool(training))
    }

    /// Channel dropout for `[N, C, H, W]` (or `[C, H, W]`): whole channels are zeroed with probability `p`,
    /// the rest scaled by `1/(1-p)`.
    public static func dropout2d(_ input: Tensor, p: Double = 0.5, training: Bool = true) -> Tensor {
        checkProbability(p)
        return ATen.featureDropout(.tensor(input), .double(p), .bool(training))
    }

    /// Channel dropout for `[N, C, D, H, W]` (or `[C, D, H, W]`).
    public static func dropout3d(_ input: Tensor, p: Double = 0.5, training: Bool = true) -> Tensor {
        checkProbability(p)
        return ATen.featureDropout(.tensor(input), .double(p), .bool(training))
    }

    /// Dropout for SELU networks: dropped elements take SELU's negative saturation value and an affine
    /// map keeps the mean and variance of a standard normal input.
    public static func alphaDropout(_ input: Tensor, p: Double = 0.5, training: Bool = true) -> Tensor {
        checkProbability(p)
        return ATen.alphaDropout(.tensor(input), .double(p), .bool(training))
    }

    private static func checkProbability(_ p: Double) {
        precondition((0...1).contains(p), "dropout probability has to be between 0 and 1, but got \(p)")
    }
}
