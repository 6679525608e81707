import CTorch

extension Tensor {
    /// Whether autograd records operations on this tensor; setting it marks a leaf.
    public var requiresGrad: Bool {
        get {
            var value = false
            check(mt_tensor_requires_grad(handle, &value))
            return value
        }
        set { check(mt_tensor_set_requires_grad(handle, newValue)) }
    }

    /// Marks this tensor as requiring gradients and returns it (`requires_grad_()`).
    @discardableResult
    public func requiringGrad(_ value: Bool = true) -> Tensor {
        requiresGrad = value
        return self
    }

    /// The gradient accumulated by `backward`, or `nil`. Assign `nil` to clear it.
    public var grad: Tensor? {
        get {
            var result: mt_tensor?
            check(mt_tensor_grad(handle, &result))
            return result.map { Tensor(owning: $0) }
        }
        set { check(mt_tensor_set_grad(handle, newValue?.handle)) }
    }

    /// Whether this tensor is a leaf of the autograd graph (created by the user, not by an op).
    public var isLeaf: Bool {
        var value = false
        check(mt_tensor_is_leaf(handle, &value))
        return value
    }

    /// The name of the backward function that produced this tensor (`"MulBackward0"`), or `nil` for leaves.
    public var gradFunctionName: String? {
        var buffer = [CChar](repeating: 0, count: 256)
        check(mt_tensor_grad_fn_name(handle, &buffer, buffer.count))
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? nil : name
    }

    /// Accumulates the gradients of this tensor with respect to the graph's leaves into their `grad`.
    ///
    /// - Parameters:
    ///   - gradient: d(loss)/d(self); may be omitted for a one-element tensor.
    ///   - retainGraph: keep the graph so `backward` can run through it again.
    ///   - createGraph: record the backward pass itself, for higher-order gradients.
    public func backward(gradient: Tensor? = nil, retainGraph: Bool = false, createGraph: Bool = false) {
        Torch.backward([self], gradients: gradient.map { [$0] }, retainGraph: retainGraph, createGraph: createGraph)
    }
}

/// Accumulates the gradients of `tensors` with respect to the graph's leaves into their `grad`
/// (`torch.autograd.backward`).
///
/// - Parameters:
///   - gradients: one d(loss)/d(tensor) per tensor, each of its tensor's shape; may be
///     omitted when every tensor has one element.
///   - retainGraph: keep the graph so `backward` can run through it again.
///   - createGraph: record the backward pass itself, for higher-order gradients.
public func backward(
    _ tensors: [Tensor], gradients: [Tensor]? = nil, retainGraph: Bool = false, createGraph: Bool = false
) {
    precondition(gradients == nil || gradients!.count == tensors.count, "one gradient per tensor")
    let outputs: [mt_tensor?] = tensors.map(\.handle)
    let grads: [mt_tensor?]? = gradients?.map(\.handle)
    withExtendedLifetime((tensors, gradients)) {
        grads.withOptionalBuffer { gradPointer in
            _ = check(mt_autograd_backward(outputs, gradPointer, Int64(tensors.count), retainGraph, createGraph))
        }
    }
}

/// The gradients of `outputs` with respect to `inputs` (`torch.autograd.grad`).
///
/// - Parameters:
///   - gradOutputs: one gradient per output (omit for one-element outputs).
///   - allowUnused: return `nil` for an input the outputs do not depend on, instead of failing.
public func gradients(
    of outputs: [Tensor], with inputs: [Tensor], gradOutputs: [Tensor]? = nil, retainGraph: Bool = false,
    createGraph: Bool = false, allowUnused: Bool = false
) -> [Tensor?] {
    precondition(gradOutputs == nil || gradOutputs!.count == outputs.count, "one gradOutput per output")
    let outputHandles: [mt_tensor?] = outputs.map(\.handle)
    let inputHandles: [mt_tensor?] = inputs.map(\.handle)
    let gradHandles: [mt_tensor?]? = gradOutputs?.map(\.handle)
    let list = mt_list_new()
    defer { mt_list_free(list) }
    let ok = withExtendedLifetime((outputs, inputs, gradOutputs)) {
        gradHandles.withOptionalBuffer { gradPointer in
            check(
                mt_autograd_grad(
                    outputHandles, gradPointer, Int64(outputs.count), inputHandles, Int64(inputs.count),
                    retainGraph, createGraph, allowUnused, list))
        }
    }
    guard ok else { return inputs.map { _ in nil } }
    return (0..<mt_list_size(list)).map { index in mt_list_get(list, index).map { Tensor(owning: $0) } }
}

/// Whether operations are currently recorded for autograd on this thread.
public var isGradEnabled: Bool { mt_grad_mode_enabled() }

/// Runs `body` with autograd recording switched off (`torch.no_grad()`), e.g. for inference
/// and parameter updates. The previous mode is restored afterwards, even if `body` throws.
public func withoutGradient<Result>(_ body: () throws -> Result) rethrows -> Result {
    try withGradient(enabled: false, body)
}

/// Runs `body` with autograd recording switched on or off (`torch.set_grad_enabled`).
public func withGradient<Result>(enabled: Bool, _ body: () throws -> Result) rethrows -> Result {
    let previous = mt_grad_mode_enabled()
    mt_grad_mode_set(enabled)
    defer { mt_grad_mode_set(previous) }
    return try body()
}

extension Optional where Wrapped == [mt_tensor?] {
    /// Calls `body` with a pointer to the handles, or NULL when there are none.
    func withOptionalBuffer<Result>(_ body: (UnsafePointer<mt_tensor?>?) -> Result) -> Result {
        guard let handles = self else { return body(nil) }
        return handles.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
