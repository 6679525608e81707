/// Scales the parameters' gradients down so that their joint `normType`-norm is at most `maxNorm`
/// (`torch.nn.utils.clip_grad_norm_`) and returns the joint norm before clipping, a 0-d tensor.
///
/// The joint norm is the norm of the per-gradient norms (for `.infinity`, the largest
/// magnitude); gradients are multiplied by `min(1, maxNorm / (norm + 1e-6))`, with libtorch's
/// `_foreach_norm` and `_foreach_mul_` kernels and no host synchronisation, as PyTorch does.
/// Parameters without a gradient are skipped; with none at all the norm is 0.
///
/// - Parameters:
///   - normType: 2 (Euclidean), 1, `.infinity`, or any other p.
///   - errorIfNonfinite: trap if the norm is NaN or infinite instead of scaling by it.
@discardableResult
public func clipGradNorm(
    _ parameters: [Tensor], maxNorm: Double, normType: Double = 2, errorIfNonfinite: Bool = false
) -> Tensor {
    let grads = parameters.compactMap(\.grad)
    guard let first = grads.first else { return Tensor.zeros([]) }
    return withoutGradient {
        let norms = Foreach.norm(grads, ord: normType)
        let stacked = Tensor.stack(norms.map { $0.to(device: first.device) })
        let total = OptimizerKernels.linalgVectorNorm(.tensor(stacked), .double(normType))
        if errorIfNonfinite {
            let value = total.to(dtype: .float64).item(Double.self)
            precondition(value.isFinite,
                         "the total norm of order \(normType) of the gradients is non-finite (\(value))")
        }
        // Python's `max_norm / tensor` is `tensor.reciprocal() * max_norm`; spelled the same for equal rounding.
        let coefficient = ((total + 1e-6).reciprocal() * maxNorm).clamp(max: 1.0)
        Foreach.mul_(grads, coefficient)
        return total
    }
}

/// Clips the gradients of parameters named by their parameters (e.g. a module's `namedParameters()`).
@discardableResult
public func clipGradNorm(
    _ parameters: [(String, Tensor)], maxNorm: Double, normType: Double = 2, errorIfNonfinite: Bool = false
) -> Tensor {
    clipGradNorm(parameters.map(\.1), maxNorm: maxNorm, normType: normType, errorIfNonfinite: errorIfNonfinite)
}

/// Clamps every gradient element into `[-clipValue, clipValue]` (`torch.nn.utils.clip_grad_value_`).
public func clipGradValue(_ parameters: [Tensor], clipValue: Double) {
    let grads = parameters.compactMap(\.grad)
    guard !grads.isEmpty else { return }
    withoutGradient { Foreach.clamp_(grads, min: -clipValue, max: clipValue) }
}

/// Clamps the gradients of named parameters (e.g. a module's `namedParameters()`).
public func clipGradValue(_ parameters: [(String, Tensor)], clipValue: Double) {
    clipGradValue(parameters.map(\.1), clipValue: clipValue)
}
