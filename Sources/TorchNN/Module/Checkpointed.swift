extension UnaryLayer {
    /// Runs the layer: ``UnaryLayer/forward(_:)``, or, when ``Module/isCheckpointed`` is set,
    /// `forward` under gradient checkpointing (``Torch/checkpoint(_:preservingRandomState:_:)``):
    /// the layer's activations are not kept but recomputed during `backward`, trading compute
    /// for memory.
    ///
    /// As in PyTorch's reentrant checkpoint, the parameters inside receive gradients only when
    /// `input` requires a gradient (the activation entering the segment normally does), and the
    /// layer runs twice in training, so batch-norm running statistics inside are updated twice.
    ///
    /// Inside ``Module/withForwardHook(_:_:)``, the hook is called with the output.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        let output = isCheckpointed ? checkpoint(input) { [self] in forward($0) } : forward(input)
        ForwardHookScope.current?.notify(self, input, output)
        return output
    }

    /// Sets ``Module/isCheckpointed`` and returns the layer, for use in a builder:
    /// `Sequential(block1.checkpointed(), block2.checkpointed())`.
    public func checkpointed(_ enabled: Bool = true) -> Self {
        isCheckpointed = enabled
        return self
    }
}
