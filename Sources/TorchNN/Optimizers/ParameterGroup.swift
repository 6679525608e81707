/// A set of parameters that share a learning rate, a weight decay and a momentum (one of
/// PyTorch's `optimizer.param_groups`).
///
/// A group that leaves `lr`, `weightDecay`, `momentum` or `beta1` out takes the optimizer's value
/// when it is added to the optimizer:
/// ```swift
/// let adam = Adam([
///     ParameterGroup(parameters: backbone, lr: 1e-4),
///     ParameterGroup(parameters: head),          // lr 1e-3 from the optimizer
/// ], lr: 1e-3)
/// ```
public struct ParameterGroup {
    /// The parameters, named like a state dict's keys (names are unique across an optimizer's groups).
    public var parameters: [(name: String, tensor: Tensor)]
    private var givenLR: Double?
    private var givenWeightDecay: Double?
    /// The learning rate before any schedule changed it (PyTorch's `initial_lr`); set by the
    /// first schedule attached to the optimizer.
    public var initialLR: Double?
    /// The momentum factor of SGD and RMSprop (PyTorch's group `momentum`); schedules such as
    /// `OneCycleLR` set it. `nil` in a group given to SGD or RMSprop takes the optimizer's
    /// `momentum`; `nil` in the groups of optimizers without one (Adam, AdamW).
    public var momentum: Double?
    /// Adam's and AdamW's first running-average coefficient (PyTorch's group `betas[0]`);
    /// schedules such as `OneCycleLR` set it. `nil` in a group given to Adam or AdamW takes the
    /// optimizer's `betas.0`; `nil` in the groups of optimizers without one (SGD, RMSprop).
    public var beta1: Double?

    /// A group of named parameters, with its own hyper-parameters where given (`momentum` for
    /// SGD and RMSprop, `beta1` for Adam and AdamW).
    public init(
        parameters: [(String, Tensor)], lr: Double? = nil, weightDecay: Double? = nil, momentum: Double? = nil,
        beta1: Double? = nil
    ) {
        self.parameters = parameters.map { (name: $0.0, tensor: $0.1) }
        self.givenLR = lr
        self.givenWeightDecay = weightDecay
        self.momentum = momentum
        self.beta1 = beta1
    }

    /// A group of unnamed parameters, named by their index ("0", "1", ...) like PyTorch's
    /// optimizer state dict.
    public init(
        parameters: [Tensor], lr: Double? = nil, weightDecay: Double? = nil, momentum: Double? = nil,
        beta1: Double? = nil
    ) {
        self.init(parameters: parameters.enumerated().map { (String($0.offset), $0.element) }, lr: lr,
                  weightDecay: weightDecay, momentum: momentum, beta1: beta1)
    }

    /// The learning rate; schedules set it before each step.
    public var lr: Double {
        get {
            guard let givenLR else { preconditionFailure("the group's lr is set when an optimizer takes it") }
            return givenLR
        }
        set { givenLR = newValue }
    }

    /// The weight decay (L2 penalty for SGD, Adam and RMSprop; decoupled decay for AdamW).
    public var weightDecay: Double {
        get {
            guard let givenWeightDecay else {
                preconditionFailure("the group's weightDecay is set when an optimizer takes it")
            }
            return givenWeightDecay
        }
        set { givenWeightDecay = newValue }
    }

    /// This group with the optimizer's hyper-parameters wherever the group gave none; `momentum`
    /// and `beta1` are `nil` for an optimizer without that hyper-parameter, and the group must not
    /// set one the optimizer lacks.
    func filling(lr: Double, weightDecay: Double, momentum: Double?, beta1: Double?) -> ParameterGroup {
        precondition(momentum != nil || self.momentum == nil, "this optimizer has no momentum; use beta1")
        precondition(beta1 != nil || self.beta1 == nil, "this optimizer has no beta1; use momentum")
        var group = self
        group.givenLR = givenLR ?? lr
        group.givenWeightDecay = givenWeightDecay ?? weightDecay
        group.momentum = self.momentum ?? momentum
        group.beta1 = self.beta1 ?? beta1
        return group
    }

    /// The gradient-carrying parameters, in order.
    var parametersWithGradients: [(name: String, tensor: Tensor, grad: Tensor)] {
        parameters.compactMap { parameter in parameter.tensor.grad.map { (parameter.name, parameter.tensor, $0) } }
    }
}
