/// Runs `body` without keeping its intermediate activations, and runs it again during
/// `backward` to get its gradients (gradient checkpointing, PyTorch's reentrant
/// `torch.utils.checkpoint.checkpoint`): memory for compute.
///
/// The forward pass runs with gradient recording off, so only `inputs` and the outputs
/// stay alive until `backward`. Then `body` is recomputed on detached copies of the
/// inputs with recording on, and the incoming gradients are propagated through the
/// recomputed segment: the inputs receive their gradients through the graph, and tensors
/// that `body` captures and that require gradients (parameters) have their `grad`
/// accumulated directly.
///
/// - Parameters:
///   - inputs: the tensors `body` is applied to. At least one that requires a gradient
///     is needed for anything in the segment to receive one (as in PyTorch): pass the
///     activation entering the segment, not only captured parameters.
///   - preservingRandomState: restore the default CPU generator's state for the
///     recomputation, so random operations inside `body` (dropout) draw the same numbers
///     as in the forward pass. CUDA generators are not restored.
///   - body: the segment. It must compute the same function both times; it runs twice.
/// - Returns: the outputs of `body`.
public func checkpoint(
    inputs: [Tensor], preservingRandomState: Bool = true, _ body: @escaping ([Tensor]) -> [Tensor]
) -> [Tensor] {
    let randomState = preservingRandomState ? Generator.cpuDefault.state : nil
    return CustomFunction.apply(inputs: inputs) { inputs, context in
        context.saveForBackward(inputs)
        return body(inputs)
    } backward: { gradOutputs, context in
        let inputs = zip(context.savedTensors, context.needsInputGrad).map { saved, needsGrad in
            saved.detach().requiringGrad(needsGrad)
        }
        let outputs = withRandomState(randomState) { withGradient(enabled: true) { body(inputs) } }
        let differentiable = outputs.indices.filter { outputs[$0].requiresGrad }
        backward(differentiable.map { outputs[$0] }, gradients: differentiable.map { gradOutputs[$0] })
        return inputs.map(\.grad)
    }
}

/// Checkpoints a segment with one input and one output; see ``checkpoint(inputs:preservingRandomState:_:)``.
///
/// - Returns: `body(input)`, whose activations are recomputed during `backward`.
public func checkpoint(
    _ input: Tensor, preservingRandomState: Bool = true, _ body: @escaping (Tensor) -> Tensor
) -> Tensor {
    checkpoint(inputs: [input], preservingRandomState: preservingRandomState) { [body($0[0])] }.first
        ?? Tensor.placeholder()
}

/// Runs `body` with the default CPU generator in `state` (when given), then puts back the
/// generator's state from before.
private func withRandomState<Result>(_ state: Tensor?, _ body: () -> Result) -> Result {
    guard let state else { return body() }
    let generator = Generator.cpuDefault
    let current = generator.state
    generator.state = state
    defer { generator.state = current }
    return body()
}
