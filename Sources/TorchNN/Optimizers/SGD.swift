/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2
/// weight decay (`torch.optim.SGD`).
///
/// Each step, per parameter `p` with gradient `g` (negated when `maximize`):
/// `g += weightDecay·p`; with momentum, `b = g` on the first step, then
/// `b = momentum·b + (1 − dampening)·g`, and `g = g + momentum·b` (Nesterov) or `g = b`;
/// finally `p −= lr·g`. `lr`, `weightDecay` and `momentum` are per group. Uses libtorch's `_foreach_*` kernels, in the order of PyTorch's
/// foreach implementation, so trajectories equal PyTorch's. State: `momentum_buffer`.
public final class SGD: OptimizerBase, Optimizer {
    /// The momentum factor of groups that set none (0: plain SGD); each group's `momentum` is what steps use.
    public let momentum: Double
    /// The fraction of each new gradient left out of the momentum buffer.
    public let dampening: Double
    /// Whether to use Nesterov momentum.
    public let nesterov: Bool
    /// Whether to ascend the gradient instead (maximise the objective).
    public let maximize: Bool

    /// SGD over parameter groups; `lr`, `momentum` and `weightDecay` apply to groups that set none.
    public init(
        _ groups: [ParameterGroup], lr: Double = 1e-3, momentum: Double = 0, dampening: Double = 0,
        weightDecay: Double = 0, nesterov: Bool = false, maximize: Bool = false
    ) {
        precondition(!nesterov || (momentum > 0 && dampening == 0),
                     "Nesterov momentum requires a momentum and zero dampening")
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.maximize = maximize
        super.init(groups: groups, lr: lr, weightDecay: weightDecay, momentum: momentum)
    }

    /// SGD over named parameters (e.g. a module's `namedParameters()`).
    public convenience init(
        parameters: [(String, Tensor)], lr: Double = 1e-3, momentum: Double = 0, dampening: Double = 0,
        weightDecay: Double = 0, nesterov: Bool = false, maximize: Bool = false
    ) {
        self.init([ParameterGroup(parameters: parameters)], lr: lr, momentum: momentum, dampening: dampening,
                  weightDecay: weightDecay, nesterov: nesterov, maximize: maximize)
    }

    /// SGD over unnamed parameters, named "0", "1", ... .
    public convenience init(
        parameters: [Tensor], lr: Double = 1e-3, momentum: Double = 0, dampening: Double = 0,
        weightDecay: Double = 0, nesterov: Bool = false, maximize: Bool = false
    ) {
        self.init([ParameterGroup(parameters: parameters)], lr: lr, momentum: momentum, dampening: dampening,
                  weightDecay: weightDecay, nesterov: nesterov, maximize: maximize)
    }

    /// Updates every parameter that has a gradient.
    public func step() {
        withoutGradient {
            for group in paramGroups { step(group) }
        }
    }

    private func step(_ group: ParameterGroup) {
        let items = group.parametersWithGradients
        guard !items.isEmpty else { return }
        let parameters = items.map(\.tensor)
        var grads = items.map(\.grad)
        if maximize { grads = Foreach.neg(grads) }
        if group.weightDecay != 0 { grads = Foreach.add(grads, parameters, alpha: group.weightDecay) }
        let momentum = group.momentum ?? self.momentum
        if momentum != 0 {
            let existing = items.map { state[$0.name]?["momentum_buffer"] }
            let buffers: [Tensor]
            if existing.allSatisfy({ $0 != nil }) {
                buffers = existing.compactMap { $0 }
                Foreach.mul_(buffers, momentum)
                Foreach.add_(buffers, grads, alpha: 1 - dampening)
            } else {
                // PyTorch starts a buffer as the first gradient itself (no dampening).
                buffers = zip(existing, grads).map { buffer, grad in
                    guard let buffer else { return grad.clone() }
                    Foreach.mul_([buffer], momentum)
                    Foreach.add_([buffer], [grad], alpha: 1 - dampening)
                    return buffer
                }
                for (item, buffer) in zip(items, buffers) { state[item.name] = ["momentum_buffer": buffer] }
            }
            grads = nesterov ? Foreach.add(grads, buffers, alpha: momentum) : buffers
        }
        Foreach.add_(parameters, grads, alpha: -group.lr)
    }
}
