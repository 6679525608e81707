import CTorch

extension ATen {
    static let rand = ATenOperator("aten::rand", "generator")
    static let randn = ATenOperator("aten::randn", "generator")
    static let randint = ATenOperator("aten::randint", "low_generator")
    static let randperm = ATenOperator("aten::randperm", "generator")
    static let bernoulli = ATenOperator("aten::bernoulli", "p")
    static let bernoulliTensor = ATenOperator("aten::bernoulli")
    static let uniformInPlace = ATenOperator("aten::uniform_")
    static let normalInPlace = ATenOperator("aten::normal_")
}

extension ATenArgument {
    /// An optional generator argument (`nil`: the global generator).
    static func optionalGenerator(_ generator: Generator?) -> ATenArgument {
        generator.map { .generator($0) } ?? .none
    }
}

// Every function draws from `generator`, or from the global generator (`manualSeed`)
// when it is `nil`. On the CPU the streams are libtorch's, so a seed gives the same
// values as the same seed in PyTorch.
extension Tensor {
    /// Values drawn uniformly from `[0, 1)` (`torch.rand`; default dtype `float32`).
    public static func rand(
        _ shape: [Int], dtype: DType? = nil, device: Device? = nil, generator: Generator? = nil
    ) -> Tensor {
        ATen.rand(.ints(shape), .optionalGenerator(generator), .optionalDType(dtype), .none, .optionalDevice(device))
    }

    /// Values drawn from the standard normal distribution (`torch.randn`; default dtype `float32`).
    public static func randn(
        _ shape: [Int], dtype: DType? = nil, device: Device? = nil, generator: Generator? = nil
    ) -> Tensor {
        ATen.randn(.ints(shape), .optionalGenerator(generator), .optionalDType(dtype), .none, .optionalDevice(device))
    }

    /// Integers drawn uniformly from `low ..< high` (`torch.randint`; dtype `int64` by default).
    public static func randint(
        low: Int = 0, high: Int, shape: [Int], dtype: DType? = nil, device: Device? = nil,
        generator: Generator? = nil
    ) -> Tensor {
        ATen.randint(
            .int(low), .int(high), .ints(shape), .optionalGenerator(generator), integerDType(dtype), .none,
            .optionalDevice(device))
    }

    /// A random permutation of `0 ..< n` (`torch.randperm`; dtype `int64` by default): `[n]`.
    public static func randperm(
        _ n: Int, dtype: DType? = nil, device: Device? = nil, generator: Generator? = nil
    ) -> Tensor {
        ATen.randperm(.int(n), .optionalGenerator(generator), integerDType(dtype), .none, .optionalDevice(device))
    }

    /// `dtype`, or the schema's default (`int64`): an explicit None would mean `float32`.
    private static func integerDType(_ dtype: DType?) -> ATenArgument { dtype.map { .dtype($0) } ?? .default }

    /// Zeros and ones, each element 1 with probability `p` (`torch.bernoulli(x, p)`), shaped like `self`.
    public func bernoulli(p: Double, generator: Generator? = nil) -> Tensor {
        ATen.bernoulli(.tensor(self), .double(p), .optionalGenerator(generator))
    }

    /// Zeros and ones, each 1 with the probability held by `self`'s element (`torch.bernoulli`).
    public func bernoulli(generator: Generator? = nil) -> Tensor {
        ATen.bernoulliTensor(.tensor(self), .optionalGenerator(generator))
    }

    /// Fills `self` with values drawn uniformly from `[from, to)`; returns `self` (`uniform_`).
    @discardableResult
    public func uniform_(from: Double = 0, to: Double = 1, generator: Generator? = nil) -> Tensor {
        _ = ATen.uniformInPlace(.tensor(self), .double(from), .double(to), .optionalGenerator(generator))
        return self
    }

    /// Fills `self` with values drawn from 𝒩(`mean`, `std`²); returns `self` (`normal_`).
    @discardableResult
    public func normal_(mean: Double = 0, std: Double = 1, generator: Generator? = nil) -> Tensor {
        _ = ATen.normalInPlace(.tensor(self), .double(mean), .double(std), .optionalGenerator(generator))
        return self
    }
}
