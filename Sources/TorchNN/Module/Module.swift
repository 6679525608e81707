/// The base class of every network layer and model (`torch.nn.Module`).
///
/// A subclass declares its state as stored properties and MRIKit finds it by reflection
/// (`Mirror`), so there is nothing to register:
/// - ``Parameter`` properties are learnable tensors, ``Buffer`` properties are saved state;
/// - properties holding a `Module`, a `Module?` or an array of modules are children
///   (an array `blocks` gives children `blocks.0`, `blocks.1`, ...).
///
/// Names are PyTorch's `state_dict` keys for the same structure: a property's name in snake
/// case (`runningMean` → `running_mean`) unless the wrapper gives a `key`, joined with dots.
/// Within a module, its own parameters come first (in declaration order), then its buffers,
/// then its children's entries, which is PyTorch's order when attributes are assigned in
/// declaration order. Base-class properties come before a subclass's.
///
/// ```swift
/// final class Block: Module, UnaryLayer {
///     let conv = Conv2d(1, 8, kernelSize: [3], padding: [1])
///     let norm = BatchNorm2d(8)
///     @Parameter var dcWeight = Tensor.ones([1])                  // key "dc_weight"
///     @Parameter(key: "lambda") var regularization = Tensor.ones([1])
///     func forward(_ x: Tensor) -> Tensor { norm(conv(x)).relu() * dcWeight * regularization }
/// }
/// // keys: dc_weight, lambda, conv.weight, conv.bias, norm.weight, norm.bias, norm.running_mean, ...
/// ```
open class Module {
    /// Whether the module is in training mode (batch statistics, dropout on); see ``train(_:)``.
    public private(set) var isTraining = true

    /// Whether calling this module as a ``UnaryLayer`` uses gradient checkpointing (recomputing its
    /// activations during `backward`); see ``UnaryLayer/callAsFunction(_:)``.
    public var isCheckpointed = false

    /// A module with no state of its own.
    public init() {}

    // MARK: Reflection

    /// One thing found in a module's stored properties.
    enum Entry {
        case parameter(String, TensorSlot)
        case buffer(String, TensorSlot, persistent: Bool)
        case child(String, Module)
    }

    /// The parameters, buffers and children this module holds directly, in declaration order
    /// (base classes first). Containers override it.
    func entries() -> [Entry] {
        var mirrors: [Mirror] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        while let current = mirror {
            mirrors.insert(current, at: 0)
            mirror = current.superclassMirror
        }
        return mirrors.flatMap { mirror in mirror.children.flatMap { Module.entries(label: $0.label, value: $0.value) } }
    }

    private static func entries(label: String?, value: Any) -> [Entry] {
        guard let label, !label.hasPrefix("$") else { return [] }
        if let slot = value as? TensorSlot {
            let name = slot.key ?? snakeCased(String(label.drop { $0 == "_" }))
            return switch slot.kind {
            case .parameter: [.parameter(name, slot)]
            case .buffer(let persistent): [.buffer(name, slot, persistent: persistent)]
            }
        }
        if let submodule = value as? KeyedSubmodule {
            return [.child(submodule.key, submodule.module)]
        }
        if let module = value as? Module {
            return [.child(snakeCased(label), module)]
        }
        if let modules = value as? [Module] {
            return modules.enumerated().map { .child("\(snakeCased(label)).\($0.offset)", $0.element) }
        }
        return []
    }

    /// The direct children with their names (`named_children()`).
    public var namedChildren: [(name: String, module: Module)] {
        entries().compactMap { if case .child(let name, let module) = $0 { (name, module) } else { nil } }
    }

    /// The direct children (`children()`).
    public var children: [Module] { namedChildren.map(\.module) }

    /// This module and all its descendants, pre-order, each once, with dotted names; the
    /// module itself is named `""` (`named_modules()`).
    public func namedModules() -> [(name: String, module: Module)] {
        var seen: Set<ObjectIdentifier> = []
        var result: [(name: String, module: Module)] = []
        func visit(_ module: Module, _ name: String) {
            guard seen.insert(ObjectIdentifier(module)).inserted else { return }
            result.append((name, module))
            for (childName, child) in module.namedChildren { visit(child, join(name, childName)) }
        }
        visit(self, "")
        return result
    }

    /// This module and all its descendants, pre-order, each once (`modules()`).
    public func modules() -> [Module] { namedModules().map(\.module) }

    /// Every parameter slot with its full name, each tensor once.
    func namedParameterSlots() -> [(name: String, slot: TensorSlot)] {
        var seen: Set<ObjectIdentifier> = []
        return namedModules().flatMap { prefix, module in
            module.entries().compactMap { entry -> (String, TensorSlot)? in
                guard case .parameter(let name, let slot) = entry, let tensor = slot.tensor,
                      seen.insert(ObjectIdentifier(tensor)).inserted else { return nil }
                return (join(prefix, name), slot)
            }
        }
    }

    /// Every parameter and buffer slot of this module and its descendants (for conversions).
    func allTensorSlots() -> [TensorSlot] {
        modules().flatMap { module in
            module.entries().compactMap { entry -> TensorSlot? in
                switch entry {
                case .parameter(_, let slot), .buffer(_, let slot, _): slot
                case .child: nil
                }
            }
        }
    }

    /// The parameters of this module and its descendants with their state-dict names, each
    /// tensor once (`named_parameters()`).
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        namedParameterSlots().compactMap { name, slot in slot.tensor.map { (name, $0) } }
    }

    /// The parameters of this module and its descendants, each once (`parameters()`): what an
    /// optimizer updates.
    public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

    /// The buffers of this module and its descendants with their names, each once
    /// (`named_buffers()`), non-persistent ones included.
    public func namedBuffers() -> [(name: String, tensor: Tensor)] {
        var seen: Set<ObjectIdentifier> = []
        return namedModules().flatMap { prefix, module in
            module.entries().compactMap { entry -> (String, Tensor)? in
                guard case .buffer(let name, let slot, _) = entry, let tensor = slot.tensor,
                      seen.insert(ObjectIdentifier(tensor)).inserted else { return nil }
                return (join(prefix, name), tensor)
            }
        }
    }

    /// The buffers of this module and its descendants, each once (`buffers()`).
    public func buffers() -> [Tensor] { namedBuffers().map(\.tensor) }

    // MARK: Modes and traversal

    /// Sets training mode on this module and all its descendants (`train(mode)`): batch norm
    /// uses batch statistics and updates its running ones, dropout drops. Returns `self`.
    @discardableResult
    public func train(_ mode: Bool = true) -> Self {
        for module in modules() { module.isTraining = mode }
        return self
    }

    /// Sets evaluation mode on this module and all its descendants (`eval()`). Returns `self`.
    @discardableResult
    public func eval() -> Self { train(false) }

    /// Calls `body` on every descendant and then on this module, children before parents
    /// (`apply(fn)`), e.g. to re-initialise layers of one kind. Returns `self`.
    @discardableResult
    public func apply(_ body: (Module) -> Void) -> Self {
        for child in children { child.apply(body) }
        body(self)
        return self
    }

    /// The number of parameter elements.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }
}

/// A module applied to one tensor: `layer(x)` runs ``forward(_:)`` (checkpointed when
/// ``Module/isCheckpointed`` is set), as PyTorch's `__call__` runs `forward`.
public protocol UnaryLayer: Module {
    /// The layer's computation. Call the layer itself (`layer(x)`) rather than this.
    func forward(_ input: Tensor) -> Tensor
}

/// `prefix.name`, or `name` at the root.
func join(_ prefix: String, _ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }
