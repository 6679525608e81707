@testable import TorchNN

/// The fixture script's `Block`: conv, batch norm, ReLU and a residual connection.
final class CompositeBlock: Module, UnaryLayer {
    let conv: Conv2d
    let norm = BatchNorm2d(2)

    init(generator: Generator) {
        conv = Conv2d(2, 2, kernelSize: [3], padding: [1], generator: generator)
    }

    func forward(_ input: Tensor) -> Tensor { norm(conv(input)).relu() + input }
}

/// The fixture script's `Net`: a parameter with a custom key, a `Sequential` with a
/// parameter-less layer between indexed ones, a `ModuleList` of nested blocks, and a head.
/// Input `[N, 1, 5, 5]` → `[N, 3]`.
final class CompositeNet: Module, UnaryLayer {
    @Parameter(key: "dc_weight") var dataConsistencyWeight = Tensor.ones([1])
    let stem: Sequential
    let blocks: ModuleList
    let head: Sequential

    init(generator: Generator = Generator(seed: 0)) {
        stem = Sequential(Conv2d(1, 2, kernelSize: [3], padding: [1], generator: generator), ReLU(), BatchNorm2d(2))
        blocks = ModuleList([CompositeBlock(generator: generator), CompositeBlock(generator: generator)])
        head = Sequential(Flatten(), Linear(2 * 5 * 5, 3, generator: generator))
    }

    func forward(_ input: Tensor) -> Tensor {
        let features = blocks.reduce(stem(input)) { ($1 as! CompositeBlock)($0) }
        return head(features) * dataConsistencyWeight
    }
}
