import CTorch

private extension ATen {
    static let select = ATenOperator("aten::select", "int")
    static let slice = ATenOperator("aten::slice", "Tensor")
    static let index = ATenOperator("aten::index", "Tensor")
    static let indexPut = ATenOperator("aten::index_put_")
    static let copy = ATenOperator("aten::copy_")
    static let fillTensor = ATenOperator("aten::fill_", "Tensor")
    static let fillScalar = ATenOperator("aten::fill_", "Scalar")
    static let scalarTensor = ATenOperator("aten::scalar_tensor")
}

/// One entry of a tensor subscript, with NumPy/PyTorch meaning:
///
/// | Swift | PyTorch | effect |
/// | --- | --- | --- |
/// | `2`, `-1` | `2`, `-1` | selects one position, removing the dimension |
/// | `1..<3`, `1...2`, `1...`, `..<3` | `1:3`, `1:3`, `1:`, `:3` | a range (a view) |
/// | `.range(0, 8, step: 2)` | `0:8:2` | a range with a step (a view) |
/// | `.all` | `:` | the whole dimension |
/// | `.newAxis` | `None` | inserts a size-1 dimension |
/// | `.ellipsis` | `...` | as many `.all` as needed to index every dimension |
/// | a `bool` tensor | a mask | the elements where the mask is true (a copy) |
/// | an integer tensor | an index tensor | the positions it lists (a copy) |
public struct TensorIndex: Sendable {
    enum Kind: Sendable {
        case position(Int)
        case range(start: Int?, end: Int?, step: Int)
        case newAxis
        case ellipsis
        case tensor(Tensor)
    }

    let kind: Kind

    /// The dimensions of the indexed tensor this entry consumes.
    var consumedDimensions: Int {
        switch kind {
        case .position, .range: 1
        case .newAxis, .ellipsis: 0
        case .tensor(let tensor): tensor.dtype == .bool || tensor.dtype == .uint8 ? tensor.rank : 1
        }
    }
}

/// A value usable in a tensor subscript: `Int`, Swift ranges, `Tensor`, `TensorIndex`.
public protocol TensorIndexConvertible {
    /// The subscript entry this value stands for.
    var tensorIndex: TensorIndex { get }
}

extension TensorIndexConvertible where Self == TensorIndex {
    /// The whole dimension (`:`).
    public static var all: TensorIndex { TensorIndex(kind: .range(start: nil, end: nil, step: 1)) }
    /// A new size-1 dimension (`None`).
    public static var newAxis: TensorIndex { TensorIndex(kind: .newAxis) }
    /// All dimensions not indexed by the other entries (`...`).
    public static var ellipsis: TensorIndex { TensorIndex(kind: .ellipsis) }

    /// Positions `start`, `start + step`, ... before `end` (`start:end:step`); `nil` bounds mean the ends.
    public static func range(_ start: Int? = nil, _ end: Int? = nil, step: Int = 1) -> TensorIndex {
        TensorIndex(kind: .range(start: start, end: end, step: step))
    }
}

extension TensorIndex: TensorIndexConvertible {
    public var tensorIndex: TensorIndex { self }
}

extension Int: TensorIndexConvertible {
    public var tensorIndex: TensorIndex { TensorIndex(kind: .position(self)) }
}

extension Range: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .range(lowerBound, upperBound) }
}

extension ClosedRange: TensorIndexConvertible where Bound == Int {
    /// `a...b`; a closed range ending at -1 runs to the end, like `a:` in Python.
    public var tensorIndex: TensorIndex { .range(lowerBound, upperBound == -1 ? nil : upperBound + 1) }
}

extension PartialRangeFrom: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .range(lowerBound, nil) }
}

extension PartialRangeUpTo: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .range(nil, upperBound) }
}

extension PartialRangeThrough: TensorIndexConvertible where Bound == Int {
    /// `...b`; `...(-1)` runs to the end.
    public var tensorIndex: TensorIndex { .range(nil, upperBound == -1 ? nil : upperBound + 1) }
}

extension Tensor: TensorIndexConvertible {
    /// A `bool` tensor indexes as a mask, an integer tensor as a list of positions.
    public var tensorIndex: TensorIndex { TensorIndex(kind: .tensor(self)) }
}

extension Tensor {
    /// Basic indexing (positions, ranges, new axes, ellipsis) gives a view; masks and index
    /// tensors gather a copy, exactly as PyTorch's `x[...]`. Assigning writes into `self` in place
    /// (`x[0, .all] = y` copies `y`, broadcast, into the view; with masks or index tensors it is
    /// `index_put_`). Autograd records both. Negative positions count from the end.
    ///
    /// ```swift
    /// x[0]                  // x[0]
    /// x[1..<3, .all, 2]     // x[1:3, :, 2]
    /// x[.ellipsis, 0]       // x[..., 0]
    /// x[mask] = Tensor(scalar: Float(0))
    /// ```
    public subscript(_ indices: any TensorIndexConvertible...) -> Tensor {
        get { self[indices.map(\.tensorIndex)] }
        set { self[indices.map(\.tensorIndex)] = newValue }
    }

    /// The subscript with its entries as an array, for indices built at run time.
    public subscript(_ indices: [TensorIndex]) -> Tensor {
        get {
            let (basic, advanced) = applyBasicIndexing(indices)
            guard let advanced else { return basic }
            return ATen.index(.tensor(basic), .optionalTensors(advanced))
        }
        set {
            let (basic, advanced) = applyBasicIndexing(indices)
            if let advanced {
                _ = ATen.indexPut(.tensor(basic), .optionalTensors(advanced), .tensor(newValue.to(dtype: dtype)))
            } else if newValue.rank == 0 {
                _ = ATen.fillTensor(.tensor(basic), .tensor(newValue))
            } else {
                // PyTorch drops the value's leading size-1 dimensions so a [1, n] row fits an [n] slice.
                let trimmed = Array(newValue.shape.drop { $0 == 1 })
                let source = trimmed.count == newValue.rank ? newValue : newValue.view(trimmed)
                _ = ATen.copy(.tensor(basic), .tensor(source))
            }
        }
    }

    /// Writes `value` into every element `indices` selects (`x[indices] = value` with a Python number).
    public func fill_(_ value: Double, at indices: any TensorIndexConvertible...) {
        let (basic, advanced) = applyBasicIndexing(indices.map(\.tensorIndex))
        if let advanced {
            let scalar = ATen.scalarTensor(.double(value), .dtype(dtype), .none, .device(device))
            _ = ATen.indexPut(.tensor(basic), .optionalTensors(advanced), .tensor(scalar))
        } else {
            _ = ATen.fillScalar(.tensor(basic), .double(value))
        }
    }

    /// Applies positions, ranges, new axes and ellipses as views (as `applySlicing` in PyTorch),
    /// and collects the mask/index tensors `aten::index` takes, aligned to the view's dimensions;
    /// `nil` when there are none.
    private func applyBasicIndexing(_ indices: [TensorIndex]) -> (Tensor, [Tensor?]?) {
        let specified = indices.reduce(0) { $0 + $1.consumedDimensions }
        precondition(specified <= rank, "too many indices for tensor of dimension \(rank)")
        precondition(indices.filter { if case .ellipsis = $0.kind { true } else { false } }.count <= 1,
                     "an index can only have a single ellipsis")
        var result = self
        var dim = 0
        var advanced: [Tensor?] = []
        for index in indices {
            switch index.kind {
            case .position(let position):
                result = ATen.select(.tensor(result), .int(dim), .int(position))
            case .range(let start, let end, let step):
                result = ATen.slice(.tensor(result), .int(dim), .optionalInt(start), .optionalInt(end), .int(step))
                dim += 1
                if !advanced.isEmpty { advanced.append(nil) }
            case .newAxis:
                result = result.unsqueeze(dim)
                dim += 1
                if !advanced.isEmpty { advanced.append(nil) }
            case .ellipsis:
                let skipped = rank - specified
                dim += skipped
                if !advanced.isEmpty { advanced += [Tensor?](repeating: nil, count: skipped) }
            case .tensor(let tensor):
                if advanced.isEmpty { advanced = [Tensor?](repeating: nil, count: dim) }
                advanced.append(tensor)
                dim += index.consumedDimensions
            }
        }
        return (result, advanced.contains { $0 != nil } ? advanced : nil)
    }
}
