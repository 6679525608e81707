/// Modules held in a list (`nn.ModuleList`), for a model that calls them itself (in a loop,
/// or with several inputs). Children are named `0`, `1`, ... by position.
///
/// A plain `[Module]` property gives the same keys; `ModuleList` also works as a child of
/// another container and can be built up with ``append(_:)``.
public final class ModuleList: Module, RandomAccessCollection {
    private var list: [Module]

    /// A list of `modules`.
    public init(_ modules: [Module] = []) {
        list = modules
    }

    override func entries() -> [Entry] {
        list.enumerated().map { .child(String($0.offset), $0.element) }
    }

    /// Adds `module` at the end.
    public func append(_ module: Module) { list.append(module) }

    /// The first position.
    public var startIndex: Int { list.startIndex }
    /// One past the last position.
    public var endIndex: Int { list.endIndex }
    /// The module at `position`.
    public subscript(position: Int) -> Module { list[position] }
}
