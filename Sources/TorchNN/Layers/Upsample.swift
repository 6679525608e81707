/// Resizes the spatial dimensions of `[N, C, spatial...]` (`nn.Upsample`) to `size` or by
/// `scaleFactor` (one value for all dimensions, or one each), with `Functional.interpolate`.
public final class Upsample: Module, UnaryLayer {
    /// The output spatial size, if given.
    public let size: [Int]?
    /// The output/input size ratio, if given.
    public let scaleFactor: [Double]?
    /// The sampling rule.
    public let mode: InterpolationMode
    /// Whether corner samples align (linear and cubic modes only).
    public let alignCorners: Bool?

    /// An upsampling layer; give exactly one of `size` and `scaleFactor`.
    public init(
        size: [Int]? = nil, scaleFactor: [Double]? = nil, mode: InterpolationMode = .nearest, alignCorners: Bool? = nil
    ) {
        precondition((size == nil) != (scaleFactor == nil), "Upsample: give exactly one of size and scaleFactor")
        self.size = size
        self.scaleFactor = scaleFactor
        self.mode = mode
        self.alignCorners = alignCorners
    }

    /// The resized input.
    public func forward(_ input: Tensor) -> Tensor {
        Functional.interpolate(input, size: size, scaleFactor: scaleFactor, mode: mode, alignCorners: alignCorners)
    }
}
