/// The outcome of ``gradientCheck(_:inputs:eps:absoluteTolerance:relativeTolerance:seed:)``.
public struct GradientCheckResult: Sendable {
    /// For each input, the largest |analytic − numerical| over its elements (0 for inputs
    /// that do not require gradients).
    public let maxErrors: [Double]
    /// Whether every element satisfied |analytic − numerical| ≤ atol + rtol·|numerical|.
    public let passed: Bool
}

/// Compares the gradients autograd computes for `function` at `inputs` with central finite
/// differences (`torch.autograd.gradcheck`), to test hand-written backward passes.
///
/// The outputs are projected onto fixed random directions `v` (one per output, drawn from a
/// generator seeded with `seed`), and the vector–Jacobian product vᵀJ that `backward`
/// gives is compared, element by element of every input that requires a gradient, with
/// (vᵀf(x + eps·eᵢ) − vᵀf(x − eps·eᵢ)) / (2·eps). A wrong derivative in any direction
/// shows up, unless it is orthogonal to a random `v`, which has probability zero.
///
/// - Parameters:
///   - function: the computation; it is called once with gradients and twice per input
///     element without.
///   - inputs: `float64` tensors (finite differences in `float32` are too coarse to judge).
///   - eps: the finite-difference step. The central difference's truncation error is
///     O(eps²·f‴) and its rounding error O(ε·|f|/eps) with ε = 2.2e-16, so 1e-6 balances them
///     at about 1e-10 for functions of unit scale.
///   - absoluteTolerance, relativeTolerance: PyTorch's `gradcheck` defaults.
public func gradientCheck(
    _ function: ([Tensor]) -> [Tensor], inputs: [Tensor], eps: Double = 1e-6, absoluteTolerance: Double = 1e-5,
    relativeTolerance: Double = 1e-3, seed: UInt64 = 0
) -> GradientCheckResult {
    precondition(inputs.allSatisfy { $0.dtype == .float64 }, "gradientCheck needs float64 inputs")
    let outputs = function(inputs)
    let generator = Generator(seed: seed)
    let directions = outputs.map { Tensor.randn($0.shape, dtype: .float64, generator: generator) }
    let differentiable = inputs.indices.filter { inputs[$0].requiresGrad }
    let analytic = gradients(
        of: outputs, with: differentiable.map { inputs[$0] }, gradOutputs: directions, allowUnused: true)
    let directionValues = directions.map { $0.toArray(of: Double.self) }

    func projection(_ arguments: [Tensor]) -> Double {
        withoutGradient {
            zip(function(arguments), directionValues).reduce(0) { total, pair in
                let values = pair.0.to(dtype: .float64).toArray(of: Double.self)
                return total + zip(values, pair.1).reduce(0) { $0 + $1.0 * $1.1 }
            }
        }
    }

    var maxErrors = [Double](repeating: 0, count: inputs.count)
    var passed = true
    for (position, index) in differentiable.enumerated() {
        let shape = inputs[index].shape
        let values = inputs[index].toArray(of: Double.self)
        let gradient = analytic[position]?.toArray(of: Double.self) ?? [Double](repeating: 0, count: values.count)
        for element in values.indices {
            var arguments = inputs
            var shifted = values
            shifted[element] = values[element] + eps
            arguments[index] = Tensor(shifted, shape: shape)
            let plus = projection(arguments)
            shifted[element] = values[element] - eps
            arguments[index] = Tensor(shifted, shape: shape)
            let numerical = (plus - projection(arguments)) / (2 * eps)
            let error = abs(gradient[element] - numerical)
            maxErrors[index] = max(maxErrors[index], error)
            if error > absoluteTolerance + relativeTolerance * abs(numerical) { passed = false }
        }
    }
    return GradientCheckResult(maxErrors: maxErrors, passed: passed)
}
