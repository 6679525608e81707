/// Adam (`torch.optim.Adam`): per-parameter step sizes from running averages of the gradient
/// and its square, with bias correction; optional AMSGrad and L2 weight decay (added to the
/// gradient). For decoupled weight decay use `AdamW`.
///
/// Runs libtorch's fused kernel `_fused_adam_` (PyTorch's `fused=True`): one call per group.
/// Its float32 rounding differs from PyTorch's default (single-tensor) path by a few ulp.
/// State: `step` (0-d float32), `exp_avg`, `exp_avg_sq`, and `max_exp_avg_sq` with AMSGrad.
public final class Adam: OptimizerBase, Optimizer {
    /// The running-average coefficients of the gradient and of its square; `betas.0` is the
    /// default of each group's `beta1`, which is what steps use.
    public let betas: (Double, Double)
    /// Added to the denominator for numerical stability.
    public let eps: Double
    /// Whether to use the AMSGrad variant (the running maximum of the squared-gradient average).
    public let amsgrad: Bool

    /// Adam over parameter groups; `lr`, `weightDecay` and `betas.0` (as `beta1`) apply to groups that set none.
    public init(
        _ groups: [ParameterGroup], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
        weightDecay: Double = 0, amsgrad: Bool = false
    ) {
        self.betas = betas
        self.eps = eps
        self.amsgrad = amsgrad
        super.init(groups: groups, lr: lr, weightDecay: weightDecay, beta1: betas.0)
    }

    /// Adam over named parameters (e.g. a module's `namedParameters()`).
    public convenience init(
        parameters: [(String, Tensor)], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
        eps: Double = 1e-8, weightDecay: Double = 0, amsgrad: Bool = false
    ) {
        self.init([ParameterGroup(parameters: parameters)], lr: lr, betas: betas, eps: eps, weightDecay: weightDecay,
                  amsgrad: amsgrad)
    }

    /// Adam over unnamed parameters, named "0", "1", ... .
    public convenience init(
        parameters: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
        weightDecay: Double = 0, amsgrad: Bool = false
    ) {
        self.init([ParameterGroup(parameters: parameters)], lr: lr, betas: betas, eps: eps, weightDecay: weightDecay,
                  amsgrad: amsgrad)
    }

    /// Updates every parameter that has a gradient.
    public func step() { fusedAdamStep(kernel: OptimizerKernels.fusedAdam_, betas: betas, eps: eps, amsgrad: amsgrad) }
}

/// AdamW (`torch.optim.AdamW`): Adam with decoupled weight decay, `p −= lr·weightDecay·p`
/// before the Adam update (Loshchilov & Hutter, "Decoupled Weight Decay Regularization").
///
/// Runs libtorch's fused kernel `_fused_adamw_`; state as for `Adam`.
public final class AdamW: OptimizerBase, Optimizer {
    /// The running-average coefficients of the gradient and of its square; `betas.0` is the
    /// default of each group's `beta1`, which is what steps use.
    public let betas: (Double, Double)
    /// Added to the denominator for numerical stability.
    public let eps: Double
    /// Whether to use the AMSGrad variant.
    public let amsgrad: Bool

    /// AdamW over parameter groups; `lr`, `weightDecay` and `betas.0` (as `beta1`) apply to groups that set none.
    public init(
        _ groups: [ParameterGroup], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
        weightDecay: Double = 1e-2, amsgrad: Bool = false
    ) {
        self.betas = betas
        self.eps = eps
        self.amsgrad = amsgrad
        super.init(groups: groups, lr: lr, weightDecay: weightDecay, beta1: betas.0)
    }

    /// AdamW over named parameters (e.g. a module's `namedParameters()`).
    public convenience init(
        parameters: [(String, Tensor)], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
        eps: Double = 1e-8, weightDecay: Double = 1e-2, amsgrad: Bool = false
    ) {
        self.init([ParameterGroup(parameters: parameters)], lr: lr, betas: betas, eps: eps, weightDecay: weightDecay,
                  amsgrad: amsgrad)
    }

    /// AdamW over unnamed parameters, named "0", "1", ... .
    public convenience init(
        parameters: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
        weightDecay: Double = 1e-2, amsgrad: Bool = false
    ) {
        self.init([ParameterGroup(parameters: parameters)], lr: lr, betas: betas, eps: eps, weightDecay: weightDecay,
                  amsgrad: amsgrad)
    }

    /// Updates every parameter that has a gradient.
    public func step() { fusedAdamStep(kernel: OptimizerKernels.fusedAdamW_, betas: betas, eps: eps, amsgrad: amsgrad) }
}

extension OptimizerBase {
    /// One step of `_fused_adam_` or `_fused_adamw_` (same schema) per group, with the group's `beta1`.
    func fusedAdamStep(kernel: ATenOperator, betas: (Double, Double), eps: Double, amsgrad: Bool) {
        withoutGradient {
            for group in paramGroups {
                let (parameters, grads, states) = prepare(group) { parameter in
                    var fields = [
                        "step": Tensor.zeros([], dtype: .float32, device: parameter.device),
                        "exp_avg": Tensor.zeros(like: parameter), "exp_avg_sq": Tensor.zeros(like: parameter),
                    ]
                    if amsgrad { fields["max_exp_avg_sq"] = Tensor.zeros(like: parameter) }
                    return fields
                }
                // The fused kernel takes tensors of one device and dtype per call, as PyTorch groups them.
                let buckets = Dictionary(grouping: parameters.indices) {
                    "\(parameters[$0].device) \(parameters[$0].dtype)"
                }
                for indices in buckets.values {
                    func field(_ name: String) -> [Tensor] { indices.compactMap { states[$0][name] } }
                    let steps = field("step")
                    Foreach.add_(steps, 1)
                    _ = kernel.call([
                        .tensors(indices.map { parameters[$0] }), .tensors(indices.map { grads[$0] }),
                        .tensors(field("exp_avg")), .tensors(field("exp_avg_sq")),
                        .tensors(amsgrad ? field("max_exp_avg_sq") : []), .tensors(steps), .double(group.lr),
                        .double(group.beta1 ?? betas.0), .double(betas.1), .double(group.weightDecay), .double(eps),
                        .bool(amsgrad), .bool(false),
                    ])
                }
            }
        }
    }
}
