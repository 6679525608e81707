/// Returns its input (`nn.Identity`): a placeholder that keeps a container's indices, e.g.
/// where an optional normalisation is switched off.
public final class Identity: Module, UnaryLayer {
    /// An identity layer.
    override public init() {}

    /// `input` itself.
    public func forward(_ input: Tensor) -> Tensor { input }
}
