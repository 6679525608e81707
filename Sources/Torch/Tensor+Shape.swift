import CTorch

private extension ATen {
    static let reshape = ATenOperator("aten::reshape")
    static let view = ATenOperator("aten::view")
    static let flatten = ATenOperator("aten::flatten", "using_ints")
    static let unflatten = ATenOperator("aten::unflatten", "int")
    static let permute = ATenOperator("aten::permute")
    static let transpose = ATenOperator("aten::transpose", "int")
    static let numpyT = ATenOperator("aten::numpy_T")
    static let mT = ATenOperator("aten::mT")
    static let squeeze = ATenOperator("aten::squeeze")
    static let squeezeDims = ATenOperator("aten::squeeze", "dims")
    static let unsqueeze = ATenOperator("aten::unsqueeze")
    static let expand = ATenOperator("aten::expand")
    static let expandAs = ATenOperator("aten::expand_as")
    static let broadcastTo = ATenOperator("aten::broadcast_to")
    static let cat = ATenOperator("aten::cat")
    static let stack = ATenOperator("aten::stack")
    static let split = ATenOperator("aten::split", "Tensor")
    static let splitWithSizes = ATenOperator("aten::split_with_sizes")
    static let chunk = ATenOperator("aten::chunk")
    static let unbind = ATenOperator("aten::unbind", "int")
    static let flip = ATenOperator("aten::flip")
    static let roll = ATenOperator("aten::roll")
    static let `repeat` = ATenOperator("aten::repeat")
    static let tile = ATenOperator("aten::tile")
    static let narrow = ATenOperator("aten::narrow")
    static let pad = ATenOperator("aten::pad")
}

/// How `pad` fills the new border (`torch.nn.functional.pad`'s `mode`).
public enum PaddingMode: String, Sendable {
    /// A constant value.
    case constant
    /// The input mirrored about its edge, edge excluded (`[1 2 3]` → `3 2 | 1 2 3 | 2 1`).
    case reflect
    /// The edge value repeated.
    case replicate
    /// The input wrapped around, as if periodic.
    case circular
}

extension Tensor {
    // MARK: Reshaping

    /// The elements in a new `shape` (one entry may be -1, inferred); a view when the strides allow,
    /// else a copy (`torch.reshape`).
    public func reshape(_ shape: [Int]) -> Tensor { ATen.reshape(.tensor(self), .ints(shape)) }

    /// A view with a new `shape` (one entry may be -1); traps if the strides do not allow a view.
    public func view(_ shape: [Int]) -> Tensor { ATen.view(.tensor(self), .ints(shape)) }

    /// Dimensions `startDim...endDim` merged into one.
    public func flatten(startDim: Int = 0, endDim: Int = -1) -> Tensor {
        ATen.flatten(.tensor(self), .int(startDim), .int(endDim))
    }

    /// Dimension `dim` split into `sizes` (one entry may be -1); the inverse of `flatten`.
    public func unflatten(dim: Int, sizes: [Int]) -> Tensor {
        ATen.unflatten(.tensor(self), .int(dim), .ints(sizes))
    }

    // MARK: Reordering dimensions

    /// A view with dimensions reordered: result dimension `i` is input dimension `dims[i]`.
    public func permute(_ dims: [Int]) -> Tensor { ATen.permute(.tensor(self), .ints(dims)) }

    /// A view with dimensions `dim0` and `dim1` swapped.
    public func transpose(_ dim0: Int, _ dim1: Int) -> Tensor {
        ATen.transpose(.tensor(self), .int(dim0), .int(dim1))
    }

    /// The transpose of a matrix (`x.T`); PyTorch deprecates it for other ranks (use `permute`, `mT`).
    public var T: Tensor { ATen.numpyT(.tensor(self)) }

    /// A view with the last two dimensions swapped (`x.mT`), for batches of matrices.
    public var mT: Tensor { ATen.mT(.tensor(self)) }

    // MARK: Adding and removing size-1 dimensions

    /// A view without size-1 dimensions: all of them, or only those of `dims` that have size 1.
    public func squeeze(dims: [Int]? = nil) -> Tensor {
        guard let dims else { return ATen.squeeze(.tensor(self)) }
        return ATen.squeezeDims(.tensor(self), .ints(dims))
    }

    /// A view without dimension `dim` if its size is 1 (else `self` unchanged).
    public func squeeze(dim: Int) -> Tensor { squeeze(dims: [dim]) }

    /// A view with a size-1 dimension inserted at `dim` (negative: counted from the end of the result).
    public func unsqueeze(_ dim: Int) -> Tensor { ATen.unsqueeze(.tensor(self), .int(dim)) }

    // MARK: Broadcasting

    /// A view with size-1 dimensions repeated to `shape` (-1 keeps a size; new leading dimensions
    /// may be added). No data is copied.
    public func expand(_ shape: [Int]) -> Tensor { ATen.expand(.tensor(self), .ints(shape)) }

    /// `expand` to `other`'s shape.
    public func expand(as other: Tensor) -> Tensor { ATen.expandAs(.tensor(self), .tensor(other)) }

    /// A view broadcast to `shape` by PyTorch's broadcasting rules.
    public func broadcast(to shape: [Int]) -> Tensor { ATen.broadcastTo(.tensor(self), .ints(shape)) }

    /// The shape that tensors of `shapes` broadcast to (`torch.broadcast_shapes`); `nil` if they do not.
    public static func broadcastShapes(_ shapes: [Int]...) -> [Int]? {
        let rank = shapes.map(\.count).max() ?? 0
        var result = [Int](repeating: 1, count: rank)
        for shape in shapes {
            for (offset, size) in shape.enumerated() {
                let position = rank - shape.count + offset
                if result[position] == 1 {
                    result[position] = size
                } else if size != 1 && size != result[position] {
                    return nil
                }
            }
        }
        return result
    }

    // MARK: Joining and splitting

    /// `tensors` joined along the existing dimension `dim` (sizes must match elsewhere).
    public static func cat(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
        ATen.cat(.tensors(tensors), .int(dim))
    }

    /// Same-shaped `tensors` joined along a new dimension `dim`.
    public static func stack(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
        ATen.stack(.tensors(tensors), .int(dim))
    }

    /// Views of consecutive pieces of `size` along `dim` (the last may be smaller).
    public func split(size: Int, dim: Int = 0) -> [Tensor] {
        ATen.split.tensors(.tensor(self), .int(size), .int(dim))
    }

    /// Views of consecutive pieces of the given `sizes` along `dim` (they must sum to its size).
    public func split(sizes: [Int], dim: Int = 0) -> [Tensor] {
        ATen.splitWithSizes.tensors(.tensor(self), .ints(sizes), .int(dim))
    }

    /// At most `chunks` views of equal size (the last may be smaller) along `dim`.
    public func chunk(_ chunks: Int, dim: Int = 0) -> [Tensor] {
        ATen.chunk.tensors(.tensor(self), .int(chunks), .int(dim))
    }

    /// The slices along `dim`, each without that dimension.
    public func unbind(dim: Int = 0) -> [Tensor] { ATen.unbind.tensors(.tensor(self), .int(dim)) }

    /// `length` elements along `dim` starting at `start`, as a view.
    public func narrow(dim: Int, start: Int, length: Int) -> Tensor {
        ATen.narrow(.tensor(self), .int(dim), .int(start), .int(length))
    }

    // MARK: Rearranging elements

    /// A copy with the order of elements reversed along each of `dims`.
    public func flip(dims: [Int]) -> Tensor { ATen.flip(.tensor(self), .ints(dims)) }

    /// A copy with elements shifted cyclically by `shifts[i]` along `dims[i]`; with no `dims`,
    /// the flattened tensor is shifted by the single shift and the shape restored.
    public func roll(shifts: [Int], dims: [Int] = []) -> Tensor {
        ATen.roll(.tensor(self), .ints(shifts), .ints(dims))
    }

    /// A copy tiled `repeats[i]` times along dimension `i` (`Tensor.repeat`); `repeats` may be longer
    /// than the rank, adding leading dimensions.
    public func `repeat`(_ repeats: [Int]) -> Tensor { ATen.repeat(.tensor(self), .ints(repeats)) }

    /// `repeat`, except that `dims` shorter than the rank is padded with leading 1s (`torch.tile`).
    public func tile(_ dims: [Int]) -> Tensor { ATen.tile(.tensor(self), .ints(dims)) }

    /// The input with a border added (`torch.nn.functional.pad`).
    ///
    /// - Parameters:
    ///   - padding: `(before, after)` pairs starting from the LAST dimension, as PyTorch:
    ///     `[left, right, top, bottom]` pads width then height. Negative values crop (constant mode).
    ///   - mode: `.reflect`, `.replicate` and `.circular` pad the last 1–3 dimensions of a
    ///     batched (or unbatched) input, e.g. `[N, C, H, W]` with 4 padding values.
    ///   - value: the fill for `.constant`.
    public func pad(_ padding: [Int], mode: PaddingMode = .constant, value: Double = 0) -> Tensor {
        ATen.pad(.tensor(self), .ints(padding), .string(mode.rawValue), mode == .constant ? .double(value) : .none)
    }
}
