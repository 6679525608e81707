/// RMSprop (`torch.optim.RMSprop`): divides the gradient by a running root-mean-square of
/// recent gradients; optional momentum, centring (subtract the running mean gradient's square)
/// and L2 weight decay.
///
/// Uses libtorch's `_foreach_*` kernels in the order of PyTorch's foreach implementation.
/// State: `step` (0-d float32), `square_avg`, `momentum_buffer` (momentum > 0), `grad_avg` (centred).
public final class RMSprop: OptimizerBase, Optimizer {
    /// The smoothing constant of the running averages.
    public let alpha: Double
    /// Added to the denominator for numerical stability.
    public let eps: Double
    /// The momentum factor of groups that set none (0: none); each group's `momentum` is what steps use.
    public let momentum: Double
    /// Whether to normalise by the estimated variance instead of the raw second moment.
    public let centered: Bool

    /// RMSprop over parameter groups; `lr`, `weightDecay` and `momentum` apply to groups that set none.
    public init(
        _ groups: [ParameterGroup], lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8,
        weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false
    ) {
        self.alpha = alpha
        self.eps = eps
        self.momentum = momentum
        self.centered = centered
        super.init(groups: groups, lr: lr, weightDecay: weightDecay, momentum: momentum)
    }

    /// RMSprop over named parameters (e.g. a module's `namedParameters()`).
    public convenience init(
        parameters: [(String, Tensor)], lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8,
        weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false
    ) {
        self.init([ParameterGroup(parameters: parameters)], lr: lr, alpha: alpha, eps: eps, weightDecay: weightDecay,
                  momentum: momentum, centered: centered)
    }

    /// RMSprop over unnamed parameters, named "0", "1", ... .
    public convenience init(
        parameters: [Tensor], lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8,
        weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false
    ) {
        self.init([ParameterGroup(parameters: parameters)], lr: lr, alpha: alpha, eps: eps, weightDecay: weightDecay,
                  momentum: momentum, centered: centered)
    }

    /// Updates every parameter that has a gradient.
    public func step() {
        withoutGradient {
            for group in paramGroups { step(group) }
        }
    }

    private func step(_ group: ParameterGroup) {
        let momentum = group.momentum ?? self.momentum
        let (parameters, rawGrads, states) = prepare(group) { parameter in
            var fields = [
                "step": Tensor.zeros([], dtype: .float32, device: parameter.device),
                "square_avg": Tensor.zeros(like: parameter),
            ]
            if momentum > 0 { fields["momentum_buffer"] = Tensor.zeros(like: parameter) }
            if centered { fields["grad_avg"] = Tensor.zeros(like: parameter) }
            return fields
        }
        guard !parameters.isEmpty else { return }
        func field(_ name: String) -> [Tensor] { states.compactMap { $0[name] } }
        var grads = rawGrads
        if group.weightDecay != 0 { grads = Foreach.add(grads, parameters, alpha: group.weightDecay) }
        Foreach.add_(field("step"), 1)
        let squareAverages = field("square_avg")
        Foreach.mul_(squareAverages, alpha)
        Foreach.addcmul_(squareAverages, grads, grads, value: 1 - alpha)
        let average: [Tensor]
        if centered {
            let gradAverages = field("grad_avg")
            Foreach.lerp_(gradAverages, grads, weight: 1 - alpha)
            average = Foreach.addcmul(squareAverages, gradAverages, gradAverages, value: -1)
            Foreach.sqrt_(average)
        } else {
            average = Foreach.sqrt(squareAverages)
        }
        Foreach.add_(average, eps)
        if momentum > 0 {
            let buffers = field("momentum_buffer")
            Foreach.mul_(buffers, momentum)
            Foreach.addcdiv_(buffers, grads, average)
            Foreach.add_(parameters, buffers, alpha: -group.lr)
        } else {
            Foreach.addcdiv_(parameters, grads, average, value: -group.lr)
        }
    }
}
