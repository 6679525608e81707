/// Marks a stored child-module property of a ``Module`` whose state-dict name is not the
/// property's snake-cased name, for models whose PyTorch attribute names are not snake case
/// (MONAI's `convInit`):
/// ```swift
/// @Submodule var convInit: NamedSequential
/// init() { _convInit = Submodule(wrappedValue: NamedSequential(...), key: "convInit") }
/// ```
@propertyWrapper
public struct Submodule<Value: Module>: KeyedSubmodule {
    /// The state-dict name of the child.
    public let key: String
    /// The child module.
    public let wrappedValue: Value

    /// The child `wrappedValue`, named `key` in the state dict.
    public init(wrappedValue: Value, key: String) {
        precondition(!key.isEmpty && !key.contains("."), "module name can't be empty or contain \".\", got \"\(key)\"")
        self.key = key
        self.wrappedValue = wrappedValue
    }

    var module: Module { wrappedValue }
}

/// What reflection reads from a ``Submodule`` property.
protocol KeyedSubmodule {
    /// The state-dict name of the child.
    var key: String { get }
    /// The child module.
    var module: Module { get }
}
