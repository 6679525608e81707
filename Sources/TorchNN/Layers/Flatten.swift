/// Flattens dimensions `startDim...endDim` into one (`nn.Flatten`, which by default keeps the batch dimension).
public final class Flatten: Module, UnaryLayer {
    /// The first dimension flattened.
    public let startDim: Int
    /// The last dimension flattened.
    public let endDim: Int

    /// A flattening layer with PyTorch's defaults (`startDim` 1, `endDim` -1).
    public init(startDim: Int = 1, endDim: Int = -1) {
        self.startDim = startDim
        self.endDim = endDim
    }

    /// The input with the dimensions merged.
    public func forward(_ input: Tensor) -> Tensor { input.flatten(startDim: startDim, endDim: endDim) }
}
