/// Modules held by name (`nn.ModuleDict`), in insertion order. Children are named by their keys.
public final class ModuleDict: Module {
    /// The entries in insertion order.
    public private(set) var items: [(key: String, module: Module)] = []

    /// A dictionary of `items`, in the given order.
    public init(_ items: [(String, Module)] = []) {
        super.init()
        for (key, module) in items { self[key] = module }
    }

    override func entries() -> [Entry] {
        items.map { .child($0.key, $0.module) }
    }

    /// The keys in insertion order.
    public var keys: [String] { items.map(\.key) }

    /// The module named `key`; assigning replaces it in place or appends it, `nil` removes it.
    public subscript(key: String) -> Module? {
        get { items.first { $0.key == key }?.module }
        set {
            precondition(!key.isEmpty && !key.contains("."), "module name can't be empty or contain \".\", got \"\(key)\"")
            let position = items.firstIndex { $0.key == key }
            switch (position, newValue) {
            case (let position?, let module?): items[position].module = module
            case (let position?, nil): items.remove(at: position)
            case (nil, let module?): items.append((key, module))
            case (nil, nil): break
            }
        }
    }
}
