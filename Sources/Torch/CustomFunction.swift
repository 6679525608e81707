import CTorch

/// An autograd operation whose forward and backward passes are Swift closures
/// (PyTorch's `torch.autograd.Function`).
///
/// ```swift
/// // y = x³ · w, with a hand-written backward.
/// let y = CustomFunction.apply(inputs: [x, w]) { inputs, context in
///     context.saveForBackward(inputs)
///     return [inputs[0] * inputs[0] * inputs[0] * inputs[1]]
/// } backward: { gradOutputs, context in
///     let (x, w) = (context.savedTensors[0], context.savedTensors[1])
///     return [3 * x * x * w * gradOutputs[0], x * x * x * gradOutputs[0]]
/// }[0]
/// ```
///
/// Tensors that `backward` needs are saved with ``Context/saveForBackward(_:)``, as in
/// PyTorch: inputs and outputs alike, without reference cycles, freed after `backward()`
/// (unless `retainGraph`), and differentiable again under `createGraph: true`.
///
/// The autograd node keeps the `backward` closure alive and releases it when the node is
/// freed: when no output and no later node of the graph refers to it. A tensor the closure
/// captures stays alive as long; capturing an *output* of this function makes a reference
/// cycle (output → node → closure → output) that is never freed. Save it instead.
public enum CustomFunction {
    /// What `forward` hands to `backward`: saved tensors and which inputs need gradients.
    public final class Context {
        /// For each input, whether it requires a gradient (`ctx.needs_input_grad`);
        /// `backward` may return `nil` for the others and skip computing them.
        public let needsInputGrad: [Bool]

        /// The autograd context, while a callback of this application runs.
        fileprivate var autograd: mt_autograd_context?
        fileprivate var toSave: [Tensor] = []
        fileprivate var saved: [Tensor] = []

        init(needsInputGrad: [Bool]) { self.needsInputGrad = needsInputGrad }

        /// In `forward`: keeps `tensors` (inputs, or outputs about to be returned) for
        /// `backward` (`ctx.save_for_backward`). Calls accumulate.
        public func saveForBackward(_ tensors: [Tensor]) {
            precondition(autograd != nil, "saveForBackward is for forward")
            toSave += tensors
        }

        /// In `backward`: the tensors `forward` saved, in the order saved.
        public var savedTensors: [Tensor] { saved }
    }

    /// Applies a custom operation to `inputs` and returns its outputs, recorded by autograd.
    ///
    /// - Parameters:
    ///   - inputs: the tensors the operation differentiates with respect to.
    ///   - forward: computes the outputs from the inputs (gradient recording is off inside).
    ///     A thrown error fails the application like a failing libtorch op (a trap, or a
    ///     `TorchError` inside `withTorchErrors`).
    ///   - backward: receives one gradient per output (zeros for unused outputs) and returns
    ///     one gradient per input, each with its input's shape, or `nil` for none. A thrown
    ///     error, a failing op or a wrong number of gradients fails the `backward()` call
    ///     that ran it: inside `withTorchErrors`, it throws a `TorchError`.
    /// - Returns: the outputs of `forward`; those computed from inputs that require
    ///   gradients have this operation as their gradient function.
    public static func apply(
        inputs: [Tensor],
        forward: ([Tensor], Context) throws -> [Tensor],
        backward: @escaping ([Tensor], Context) throws -> [Tensor?]
    ) -> [Tensor] {
        withoutActuallyEscaping(forward) { forward in
            let node = NodeState(
                forward: forward, backward: backward, context: Context(needsInputGrad: inputs.map(\.requiresGrad)))
            // The node state must not keep the non-escaping forward past this call.
            defer { node.forward = nil }
            let list = mt_list_new()
            defer { mt_list_free(list) }
            let handles: [mt_tensor?] = inputs.map(\.handle)
            let ok = withExtendedLifetime(inputs) {
                check(
                    mt_custom_function_apply(
                        handles, Int64(handles.count), Unmanaged.passRetained(node).toOpaque(),
                        forwardCallback, backwardCallback, releaseCallback, list),
                    "custom function")
            }
            guard ok else { return [] }
            return (0..<mt_list_size(list)).map { Tensor.wrapping(mt_list_get(list, $0)) }
        }
    }
}

/// The closures and context of one application, owned by its autograd node.
private final class NodeState {
    var forward: (([Tensor], CustomFunction.Context) throws -> [Tensor])?
    let backward: ([Tensor], CustomFunction.Context) throws -> [Tensor?]
    let context: CustomFunction.Context

    init(
        forward: @escaping ([Tensor], CustomFunction.Context) throws -> [Tensor],
        backward: @escaping ([Tensor], CustomFunction.Context) throws -> [Tensor?],
        context: CustomFunction.Context
    ) {
        self.forward = forward
        self.backward = backward
        self.context = context
    }

    static func from(_ pointer: UnsafeMutableRawPointer?) -> NodeState {
        guard let pointer else { fatalError("custom function callback without its state") }
        return Unmanaged<NodeState>.fromOpaque(pointer).takeUnretainedValue()
    }
}

/// Runs one side of a custom function for the shim: wraps the tensors it passes, runs
/// `body` in a throwing scope, and pushes the results into `out`. Every failure becomes
/// a recorded error and status 1, which the shim raises as a C++ exception.
private func runCallback(
    _ tensors: UnsafePointer<mt_tensor?>?, _ count: Int64, _ out: mt_list?,
    _ body: ([Tensor]) throws -> [Tensor?]
) -> Int32 {
    let arguments = (0..<Int(count)).map { index -> Tensor in
        guard let handle = tensors?[index] else { return Tensor.placeholder() }
        var shared: mt_tensor?
        mt_tensor_share(handle, &shared)
        return Tensor.wrapping(shared)
    }
    do {
        let results = try withTorchErrors { try body(arguments) }
        for result in results { mt_list_push(out, result?.handle) }
        return 0
    } catch {
        mt_set_error("\(error)")
        return 1
    }
}

private let forwardCallback: mt_function_callback = { state, autograd, tensors, count, out in
    let node = NodeState.from(state)
    return runCallback(tensors, count, out) { inputs in
        guard let forward = node.forward else { throw TorchError("custom function forward ran twice") }
        node.context.autograd = autograd
        defer {
            node.context.autograd = nil
            node.context.toSave = []
        }
        let outputs = try forward(inputs, node.context)
        let toSave = node.context.toSave
        let handles: [mt_tensor?] = toSave.map(\.handle)
        // A failure is recorded in the callback's scope, which throws it when we return.
        let saved = withExtendedLifetime(toSave) {
            check(mt_autograd_context_save(autograd, handles, Int64(handles.count)))
        }
        return saved ? outputs : []
    }
}

private let backwardCallback: mt_function_callback = { state, autograd, tensors, count, out in
    let node = NodeState.from(state)
    return runCallback(tensors, count, out) { gradOutputs in
        let list = mt_list_new()
        defer {
            mt_list_free(list)
            node.context.saved = []
        }
        // Fails when the graph was freed by an earlier backward; the callback's scope throws it.
        guard check(mt_autograd_context_saved(autograd, list)) else { return [] }
        node.context.saved = (0..<mt_list_size(list)).map { Tensor.wrapping(mt_list_get(list, $0)) }
        let gradients = try node.backward(gradOutputs, node.context)
        let expected = node.context.needsInputGrad.count
        guard gradients.count == expected else {
            throw TorchError(
                "custom function backward returned \(gradients.count) gradients for \(expected) inputs")
        }
        return gradients
    }
}

private let releaseCallback: mt_release_callback = { state in
    guard let state else { return }
    Unmanaged<NodeState>.fromOpaque(state).release()
}
