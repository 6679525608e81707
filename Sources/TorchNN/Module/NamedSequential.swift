/// Layers applied one after another under names of their own (`nn.Sequential(OrderedDict(...))`),
/// for state dicts whose keys name the steps (`enc1conv1.weight`, `conv.weight`, `adn.N.weight`)
/// rather than number them as ``Sequential`` does.
public final class NamedSequential: Module, UnaryLayer {
    /// The named layers in order.
    public let items: [(name: String, layer: any UnaryLayer)]

    /// The given layers under the given names, applied in order; names are unique and dot-free.
    public init(_ items: [(String, any UnaryLayer)]) {
        var seen: Set<String> = []
        for (name, _) in items {
            precondition(!name.isEmpty && !name.contains("."), "module name can't be empty or contain \".\", got \"\(name)\"")
            precondition(seen.insert(name).inserted, "duplicate module name \"\(name)\"")
        }
        self.items = items.map { (name: $0.0, layer: $0.1) }
    }

    override func entries() -> [Entry] {
        items.map { .child($0.name, $0.layer) }
    }

    /// The layer named `name`, if any.
    public subscript(name: String) -> (any UnaryLayer)? { items.first { $0.name == name }?.layer }

    /// The input passed through every layer in order (a normalisation and the ReLU after it as
    /// one fused operation where they can be: ``NormalizationActivation``).
    public func forward(_ input: Tensor) -> Tensor {
        NormalizationActivation.apply(items.lazy.map(\.layer), to: input)
    }
}
