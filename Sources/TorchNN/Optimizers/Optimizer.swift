import Foundation

/// Updates parameters from their gradients (`torch.optim.Optimizer`).
///
/// A training step: `optimizer.zeroGrad()`, compute the loss, `loss.backward()`, `optimizer.step()`.
public protocol Optimizer: AnyObject {
    /// The parameter groups, each with its own learning rate and weight decay; schedules set `lr`.
    var paramGroups: [ParameterGroup] { get set }
    /// Updates every parameter that has a gradient; parameters without one are left alone.
    func step()
    /// Clears every parameter's gradient (sets it to `nil`, PyTorch's `set_to_none=True`).
    func zeroGrad()
    /// The optimizer's state and group hyper-parameters, for exact resumption (see `OptimizerBase`).
    func stateDict() -> StateDict
    /// Restores what `stateDict()` returned; throws `TrainingStateError` naming a bad entry.
    func loadStateDict(_ stateDict: StateDict) throws
}

/// Bad saved training state (optimizer, schedule, scaler or EMA): names the entry and what was expected.
public struct TrainingStateError: Error, CustomStringConvertible {
    /// What was wrong, naming the state-dict key.
    public let description: String

    init(_ description: String) { self.description = description }
}

/// The shared part of every optimizer: groups, per-parameter state keyed by parameter name,
/// gradient clearing and the state dict.
///
/// State-dict layout (all tensors, so it saves as safetensors or `.pt`):
/// - `state.<parameter>.<field>`: PyTorch's per-parameter state under PyTorch's field names,
///   e.g. `state.fc.weight.exp_avg`, `state.fc.weight.step` (a 0-d float32 tensor).
/// - `param_groups.<i>.lr`, `param_groups.<i>.weight_decay`, `param_groups.<i>.momentum` (SGD,
///   RMSprop), `param_groups.<i>.betas0` (Adam, AdamW: PyTorch's `betas[0]`) and, once a schedule is
///   attached, `param_groups.<i>.initial_lr`: 0-d float64 tensors. Momentum and `betas0` are optional
///   when loading (state dicts saved before they were per group lack them). Other hyper-parameters
///   (beta2, eps, dampening ...) belong to the optimizer's construction and are not saved.
public class OptimizerBase {
    /// The parameter groups; schedules set their `lr`.
    public var paramGroups: [ParameterGroup]
    /// Per-parameter state: parameter name → PyTorch field name → tensor.
    public internal(set) var state: [String: [String: Tensor]] = [:]

    /// Fills the groups from the optimizer's values; `momentum`/`beta1` are `nil` for optimizers without them.
    init(groups: [ParameterGroup], lr: Double, weightDecay: Double, momentum: Double? = nil, beta1: Double? = nil) {
        paramGroups = groups.map { $0.filling(lr: lr, weightDecay: weightDecay, momentum: momentum, beta1: beta1) }
        let names = paramGroups.flatMap { $0.parameters.map(\.name) }
        precondition(Set(names).count == names.count, "parameter names must be unique across groups: \(names)")
    }

    /// Clears every parameter's gradient (sets it to `nil`, PyTorch's `set_to_none=True`).
    public func zeroGrad() {
        for group in paramGroups {
            for parameter in group.parameters { parameter.tensor.grad = nil }
        }
    }

    /// The state of each of `group`'s parameters that has a gradient, created by `initial` the
    /// first time a parameter is stepped; returns the parameters, gradients and states in order.
    func prepare(
        _ group: ParameterGroup, initial: (Tensor) -> [String: Tensor]
    ) -> (parameters: [Tensor], grads: [Tensor], states: [[String: Tensor]]) {
        let items = group.parametersWithGradients
        let states = items.map { item in
            if let existing = state[item.name] { return existing }
            let created = initial(item.tensor)
            state[item.name] = created
            return created
        }
        return (items.map(\.tensor), items.map(\.grad), states)
    }

    /// The optimizer's state and group hyper-parameters (layout in the type's documentation).
    /// The state entries are the live tensors, as in PyTorch: save (or clone) them before the next step.
    public func stateDict() -> StateDict {
        var entries: [(String, Tensor)] = []
        for group in paramGroups {
            for parameter in group.parameters {
                guard let fields = state[parameter.name] else { continue }
                for field in fields.keys.sorted() {
                    if let tensor = fields[field] { entries.append(("state.\(parameter.name).\(field)", tensor)) }
                }
            }
        }
        for (index, group) in paramGroups.enumerated() {
            entries.append(("param_groups.\(index).lr", scalarTensor(group.lr)))
            entries.append(("param_groups.\(index).weight_decay", scalarTensor(group.weightDecay)))
            if let momentum = group.momentum {
                entries.append(("param_groups.\(index).momentum", scalarTensor(momentum)))
            }
            if let beta1 = group.beta1 { entries.append(("param_groups.\(index).betas0", scalarTensor(beta1))) }
            if let initialLR = group.initialLR {
                entries.append(("param_groups.\(index).initial_lr", scalarTensor(initialLR)))
            }
        }
        return StateDict(entries)
    }

    /// Restores what `stateDict()` returned (copies the tensors); throws `TrainingStateError`
    /// naming an unknown parameter or group, a missing hyper-parameter, or a shape mismatch.
    public func loadStateDict(_ stateDict: StateDict) throws {
        let named = paramGroups.flatMap { $0.parameters }.map { ($0.name, $0.tensor) }
        let parameters = Dictionary(uniqueKeysWithValues: named)
        var loaded: [String: [String: Tensor]] = [:]
        var groups = paramGroups
        var given = Set<String>()
        for (key, tensor) in stateDict {
            if key.hasPrefix("state.") {
                let path = key.dropFirst("state.".count)
                guard let dot = path.lastIndex(of: ".") else {
                    throw TrainingStateError("\(key): expected state.<parameter>.<field>")
                }
                let name = String(path[..<dot]), field = String(path[path.index(after: dot)...])
                guard let parameter = parameters[name] else {
                    throw TrainingStateError("\(key): no parameter named \(name)")
                }
                guard field == "step" || tensor.shape == parameter.shape else {
                    throw TrainingStateError(
                        "\(key): shape \(tensor.shape), but the parameter's shape is \(parameter.shape)")
                }
                loaded[name, default: [:]][field] = tensor.to(device: parameter.device).clone()
            } else if key.hasPrefix("param_groups.") {
                let parts = key.split(separator: ".")
                guard parts.count == 3, let index = Int(parts[1]), groups.indices.contains(index) else {
                    throw TrainingStateError("\(key): the optimizer has \(groups.count) parameter groups")
                }
                let value = try scalarValue(tensor, key: key)
                switch parts[2] {
                case "lr": groups[index].lr = value
                case "weight_decay": groups[index].weightDecay = value
                case "initial_lr": groups[index].initialLR = value
                case "momentum" where groups[index].momentum != nil: groups[index].momentum = value
                case "betas0" where groups[index].beta1 != nil: groups[index].beta1 = value
                default: throw TrainingStateError("\(key): this optimizer's groups have no hyper-parameter \(parts[2])")
                }
                given.insert(key)
            } else {
                throw TrainingStateError("\(key): expected state.<parameter>.<field> or param_groups.<i>.<name>")
            }
        }
        for index in groups.indices {
            for name in ["lr", "weight_decay"] where !given.contains("param_groups.\(index).\(name)") {
                throw TrainingStateError("param_groups.\(index).\(name) is missing")
            }
        }
        paramGroups = groups
        state = loaded
    }
}

/// A 0-d float64 tensor holding `value` (how hyper-parameters travel in state dicts).
func scalarTensor(_ value: Double) -> Tensor { Tensor([value], shape: []) }

/// The number in a one-element state-dict tensor, or a `TrainingStateError` naming `key`.
func scalarValue(_ tensor: Tensor, key: String) throws -> Double {
    guard tensor.count == 1 else {
        throw TrainingStateError("\(key): expected one number, found shape \(tensor.shape)")
    }
    return tensor.to(dtype: .float64).item(Double.self)
}

/// The non-negative whole number in a one-element state-dict tensor, or a `TrainingStateError` naming `key`.
func countValue(_ tensor: Tensor, key: String) throws -> Int {
    let number = try scalarValue(tensor, key: key)
    guard number >= 0, number == number.rounded(), number < 1e15 else {
        throw TrainingStateError("\(key): \(number) is not a count")
    }
    return Int(number)
}

extension StateDict {
    /// The entry `key`, or a `TrainingStateError` saying it is missing.
    func required(_ key: String) throws -> Tensor {
        guard let tensor = self[key] else { throw TrainingStateError("\(key) is missing") }
        return tensor
    }
}
