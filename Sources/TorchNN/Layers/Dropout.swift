/// The dropout function a ``Dropout`` layer applies.
private typealias DropoutFunction = (Tensor, Double, Bool) -> Tensor

/// In training, zeroes each element with probability `p` and scales the rest by `1/(1-p)`
/// (`nn.Dropout`); in evaluation, the identity. Draws from the global generator.
public class Dropout: Module, UnaryLayer {
    /// The probability of an element being zeroed.
    public let p: Double
    private let function: DropoutFunction

    /// Element dropout with PyTorch's default `p` 0.5.
    public convenience init(p: Double = 0.5) {
        self.init(p: p) { Functional.dropout($0, p: $1, training: $2) }
    }

    fileprivate init(p: Double, function: @escaping DropoutFunction) {
        precondition((0...1).contains(p), "dropout probability has to be between 0 and 1, but got \(p)")
        self.p = p
        self.function = function
    }

    /// The input with dropout applied in training, unchanged in evaluation.
    public func forward(_ input: Tensor) -> Tensor { function(input, p, isTraining) }
}

/// Channel dropout for `[N, C, H, W]` (`nn.Dropout2d`): whole channels are zeroed in training.
public final class Dropout2d: Dropout {
    /// Channel dropout with PyTorch's default `p` 0.5.
    public init(p: Double = 0.5) {
        super.init(p: p) { Functional.dropout2d($0, p: $1, training: $2) }
    }
}

/// Channel dropout for `[N, C, D, H, W]` (`nn.Dropout3d`): whole channels are zeroed in training.
public final class Dropout3d: Dropout {
    /// Channel dropout with PyTorch's default `p` 0.5.
    public init(p: Double = 0.5) {
        super.init(p: p) { Functional.dropout3d($0, p: $1, training: $2) }
    }
}
