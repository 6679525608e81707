/// A set of parameters that share a learning rate and a weight decay (one of PyTorch's
/// `optimizer.param_groups`).
///
/// A group that leaves `lr` or `weightDecay` out takes the optimizer's value when it is
/// added to the optimizer:
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

    /// A group of named parameters, with its own learning rate and weight decay where given.
    public init(parameters: [(String, Tensor)], lr: Double? = nil, weightDecay: Double? = nil) {
        self.parameters = parameters.map { (name: $0.0, tensor: $0.1) }
        self.givenLR = lr
        self.givenWeightDecay = weightDecay
    }

    /// A group of unnamed parameters, named by their index ("0", "1", ...) like PyTorch's
    /// optimizer state dict.
    public init(parameters: [Tensor], lr: Double? = nil, weightDecay: Double? = nil) {
        self.init(parameters: parameters.enumerated().map { (String($0.offset), $0.element) }, lr: lr,
                  weightDecay: weightDecay)
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

    /// This group with the optimizer's `lr` and `weightDecay` wherever the group gave none.
    func filling(lr: Double, weightDecay: Double) -> ParameterGroup {
        var group = self
        group.givenLR = givenLR ?? lr
        group.givenWeightDecay = givenWeightDecay ?? weightDecay
        return group
    }

    /// The gradient-carrying parameters, in order.
    var parametersWithGradients: [(name: String, tensor: Tensor, grad: Tensor)] {
        parameters.compactMap { parameter in parameter.tensor.grad.map { (parameter.name, parameter.tensor, $0) } }
    }
}
