/// Named tensors in a fixed order: what PyTorch's `state_dict()` returns and what
/// `.pt` and `.safetensors` files hold.
///
/// Order is kept as inserted (files list their tensors in a meaningful order);
/// lookups by name are constant-time. Setting an existing name replaces its tensor in place.
public struct StateDict: Sequence, ExpressibleByDictionaryLiteral, Sendable {
    /// The entries in order.
    public private(set) var entries: [(name: String, tensor: Tensor)] = []
    private var positions: [String: Int] = [:]

    /// An empty state dict.
    public init() {}

    /// The entries in the given order; a repeated name keeps its first position and last tensor.
    public init(_ entries: [(String, Tensor)]) {
        for (name, tensor) in entries { self[name] = tensor }
    }

    /// The entries of `dictionary`, ordered by name (a Swift dictionary has no order of its own).
    public init(_ dictionary: [String: Tensor]) {
        self.init(dictionary.sorted { $0.key < $1.key })
    }

    /// The entries of the literal, in its order.
    public init(dictionaryLiteral elements: (String, Tensor)...) {
        self.init(elements)
    }

    /// The tensor named `name`; assigning nil removes it.
    public subscript(name: String) -> Tensor? {
        get { positions[name].map { entries[$0].tensor } }
        set {
            if let position = positions[name] {
                if let newValue {
                    entries[position].tensor = newValue
                } else {
                    entries.remove(at: position)
                    positions = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.name, $0) })
                }
            } else if let newValue {
                positions[name] = entries.count
                entries.append((name, newValue))
            }
        }
    }

    /// The names in order.
    public var keys: [String] { entries.map(\.name) }

    /// The number of tensors.
    public var count: Int { entries.count }

    /// Whether there are no tensors.
    public var isEmpty: Bool { entries.isEmpty }

    /// The entries named `<prefix>.<rest>`, renamed `<rest>`: one component of a combined state
    /// dict, e.g. `section("model")` of a training checkpoint.
    public func section(_ prefix: String) -> StateDict {
        let head = prefix + "."
        return StateDict(entries.compactMap { entry in
            entry.name.hasPrefix(head) ? (String(entry.name.dropFirst(head.count)), entry.tensor) : nil
        })
    }

    /// Every entry renamed `<prefix>.<name>`, to combine state dicts into one (`section` undoes it).
    public func prefixed(_ prefix: String) -> StateDict {
        StateDict(entries.map { ("\(prefix).\($0.name)", $0.tensor) })
    }

    /// Iterates over `(name, tensor)` pairs in order.
    public func makeIterator() -> IndexingIterator<[(name: String, tensor: Tensor)]> {
        entries.makeIterator()
    }
}
