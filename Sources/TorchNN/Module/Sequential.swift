/// Layers applied one after another (`nn.Sequential`): `Sequential(Conv2d(...), ReLU(), ...)`.
///
/// The layers are children named `0`, `1`, ... by position, layers without parameters
/// included, so keys match PyTorch's (`0.weight`, `2.weight`).
public final class Sequential: Module, UnaryLayer {
    /// The layers in order.
    public let layers: [any UnaryLayer]

    /// The given layers, applied in order.
    public init(_ layers: [any UnaryLayer]) {
        self.layers = layers
    }

    /// The given layers, applied in order.
    public convenience init(_ layers: any UnaryLayer...) {
        self.init(layers)
    }

    override func entries() -> [Entry] {
        layers.enumerated().map { .child(String($0.offset), $0.element) }
    }

    /// The layer at `index`.
    public subscript(index: Int) -> any UnaryLayer { layers[index] }

    /// The number of layers.
    public var count: Int { layers.count }

    /// The input passed through every layer in order (a normalisation and the ReLU after it as
    /// one fused operation where they can be: ``NormalizationActivation``).
    public func forward(_ input: Tensor) -> Tensor {
        NormalizationActivation.apply(layers, to: input)
    }
}
