/// What a ``Parameter`` or ``Buffer`` property can hold: a `Tensor`, or a `Tensor?` for an
/// optional one (a layer without bias), which is left out of the state dict while `nil`.
public protocol ModuleTensorValue {
    /// The tensor held, or `nil`.
    var slotTensor: Tensor? { get }
}

extension Tensor: ModuleTensorValue {
    /// `self`.
    public var slotTensor: Tensor? { self }
}

extension Optional: ModuleTensorValue where Wrapped == Tensor {
    /// The tensor, if any.
    public var slotTensor: Tensor? { self }
}

/// A tensor a module owns, found by reflection: a ``Parameter`` or a ``Buffer``. Modules never
/// swap the tensor a slot holds: loading and conversion change the tensor's data in place.
protocol TensorSlot {
    /// The state-dict key given explicitly, if any.
    var key: String? { get }
    /// The tensor held, or `nil`.
    var tensor: Tensor? { get }
    /// Whether this is a buffer, and whether it goes into the state dict.
    var kind: TensorSlotKind { get }
}

/// What a ``TensorSlot`` holds.
enum TensorSlotKind {
    case parameter
    case buffer(persistent: Bool)
}

/// Marks a stored `Tensor` (or `Tensor?`) property of a ``Module`` as a learnable parameter
/// (`torch.nn.Parameter`): it appears in ``Module/namedParameters()``, in the state dict, and
/// requires gradients when set.
///
/// The state-dict key is the property's name in snake case (`dcWeight` → `dc_weight`), or `key`:
/// ```swift
/// @Parameter var weight: Tensor                    // "weight"
/// @Parameter(key: "lambda") var regularization: Tensor
/// @Parameter var bias: Tensor?                     // absent from the state dict while nil
/// ```
@propertyWrapper
public struct Parameter<Value: ModuleTensorValue>: TensorSlot {
    /// The state-dict key given explicitly, or `nil` for the property's snake-cased name.
    public let key: String?
    private var value: Value

    /// A parameter holding `wrappedValue`, which is made a leaf requiring gradients.
    public init(wrappedValue: Value, key: String? = nil) {
        self.key = key
        value = wrappedValue
        Self.markRequiresGrad(wrappedValue)
    }

    /// The parameter's tensor; assigning a new one makes it a leaf requiring gradients.
    public var wrappedValue: Value {
        get { value }
        set {
            value = newValue
            Self.markRequiresGrad(newValue)
        }
    }

    var tensor: Tensor? { value.slotTensor }
    var kind: TensorSlotKind { .parameter }

    /// Parameters are leaves that require gradients, as `nn.Parameter` makes them (unless frozen later).
    private static func markRequiresGrad(_ value: Value) {
        guard let tensor = value.slotTensor, tensor.dtype.isFloatingPoint || tensor.dtype.isComplex else { return }
        if !tensor.requiresGrad { tensor.requiresGrad = true }
    }
}

/// Marks a stored `Tensor` (or `Tensor?`) property of a ``Module`` as a buffer
/// (`register_buffer`): state that is saved and moved with the module but not learnt, such as
/// batch-norm running statistics. Keys follow the same rule as ``Parameter``'s.
///
/// A buffer that is not `persistent` is left out of the state dict (PyTorch's `persistent=False`).
@propertyWrapper
public struct Buffer<Value: ModuleTensorValue>: TensorSlot {
    /// The state-dict key given explicitly, or `nil` for the property's snake-cased name.
    public let key: String?
    /// Whether the buffer is part of the state dict.
    public let persistent: Bool

    /// A buffer holding `wrappedValue`.
    public init(wrappedValue: Value, key: String? = nil, persistent: Bool = true) {
        self.key = key
        self.persistent = persistent
        self.wrappedValue = wrappedValue
    }

    /// The buffer's tensor.
    public var wrappedValue: Value

    var tensor: Tensor? { wrappedValue.slotTensor }
    var kind: TensorSlotKind { .buffer(persistent: persistent) }
}

/// The PyTorch-style name of a Swift property: snake case, with acronyms kept together
/// (`runningMean` → `running_mean`, `numBatchesTracked` → `num_batches_tracked`,
/// `dcWeight` → `dc_weight`, `convRGBIn` → `conv_rgb_in`). Names that are already snake case
/// (`conv_1`, `layer1`) are unchanged.
func snakeCased(_ name: String) -> String {
    let characters = Array(name)
    var result = ""
    for (index, character) in characters.enumerated() {
        if character.isUppercase, index > 0 {
            let previous = characters[index - 1]
            let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
            if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) {
                result.append("_")
            }
        }
        result += character.lowercased()
    }
    return result
}
