private extension ATen {
    static let linear = ATenOperator("aten::linear")
}

/// `y = x·Wᵀ + b` (`nn.Linear`): input `[*, inFeatures]` → `[*, outFeatures]`.
///
/// Initialised as PyTorch does: `weight` by `kaiming_uniform_(a: √5)`, i.e. 𝒰(±1/√inFeatures),
/// then `bias` by 𝒰(±1/√inFeatures), drawing from `generator` (or the global generator).
public final class Linear: Module, UnaryLayer {
    /// `[outFeatures, inFeatures]`.
    @Parameter public var weight: Tensor
    /// `[outFeatures]`, or `nil` without bias.
    @Parameter public var bias: Tensor?

    /// The input size.
    public let inFeatures: Int
    /// The output size.
    public let outFeatures: Int

    /// A layer from `inFeatures` to `outFeatures`, with a bias unless `bias` is false.
    public init(
        _ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, dtype: DType? = nil, device: Device? = nil,
        generator: Generator? = nil
    ) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        let (initialWeight, initialBias) = defaultWeightAndBias(
            weightShape: [outFeatures, inFeatures], biasSize: bias ? outFeatures : nil, dtype: dtype, device: device,
            generator: generator)
        weight = initialWeight
        self.bias = initialBias
    }

    /// `input·weightᵀ + bias`.
    public func forward(_ input: Tensor) -> Tensor {
        ATen.linear(.tensor(input), .tensor(weight), .optionalTensor(bias))
    }
}

/// A weight initialised by `kaiming_uniform_(a: √5)` and a bias by 𝒰(±1/√fanIn), in that order:
/// PyTorch's `reset_parameters` for `Linear` and every convolution.
func defaultWeightAndBias(
    weightShape: [Int], biasSize: Int?, dtype: DType?, device: Device?, generator: Generator?
) -> (Tensor, Tensor?) {
    let weight = Init.kaimingUniform_(
        Tensor.empty(weightShape, dtype: dtype, device: device), a: 5.0.squareRoot(), generator: generator)
    let bias = biasSize.map { size in
        let fanIn = Init.fans(weight).fanIn
        let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
        return Init.uniform_(Tensor.empty([size], dtype: dtype, device: device), a: -bound, b: bound, generator: generator)
    }
    return (weight, bias)
}
