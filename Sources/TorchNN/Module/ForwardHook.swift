/// A function called after a layer runs, with the layer, its input and its output, as PyTorch's
/// forward hooks (`register_forward_hook`) are; see ``Module/withForwardHook(_:_:)``.
public typealias ForwardHook = (_ layer: Module, _ input: Tensor, _ output: Tensor) -> Void

extension Module {
    /// Runs `body` with `hook` called after every ``UnaryLayer`` call made inside it on this thread
    /// (children before their parents, as their calls end), then returns `body`'s result.
    ///
    /// Unlike PyTorch's per-module hooks, the hook is scoped to `body`, so nothing stays registered
    /// afterwards; model summaries and activation inspection use it. Layers that take several
    /// inputs are called through their own methods and are not reported; the layers inside them are.
    public static func withForwardHook<Result>(_ hook: @escaping ForwardHook, _ body: () throws -> Result) rethrows
        -> Result
    {
        try ForwardHookScope.$current.withValue(ForwardHookScope(hook: hook, enclosing: ForwardHookScope.current)) {
            try body()
        }
    }
}

/// The hooks active on the current task or thread, innermost first.
final class ForwardHookScope: @unchecked Sendable {
    /// The hooks of the innermost ``Module/withForwardHook(_:_:)`` scope, or `nil` outside any.
    @TaskLocal static var current: ForwardHookScope?

    // A scope only lives on the thread that runs its body, so its closure is never shared.
    private let hook: ForwardHook
    private let enclosing: ForwardHookScope?

    init(hook: @escaping ForwardHook, enclosing: ForwardHookScope?) {
        self.hook = hook
        self.enclosing = enclosing
    }

    /// Calls every active hook, outer scopes first (the order they were registered in).
    func notify(_ layer: Module, _ input: Tensor, _ output: Tensor) {
        enclosing?.notify(layer, input, output)
        hook(layer, input, output)
    }
}
