/// Masked k-space for a variational network (fastMRI's `VarNetSample`).
public struct VarNetSample: Sendable {
    /// The undersampled k-space: native complex `[coils, H, W]` (or `[H, W]`).
    public var maskedKSpace: Tensor
    /// The sampling mask, bool `[1, 1, W]` (rank of the k-space).
    public var mask: Tensor
    /// Fully sampled centre lines (0 when the file's own mask is used).
    public var numLowFrequencies: Int
    /// The target image `[h, w]`, or a 0-d zero without one.
    public var target: Tensor
    /// The file name.
    public var fileName: String
    /// The slice's index in its volume.
    public var sliceNumber: Int
    /// The volume's maximum image value (0 without a target).
    public var maxValue: Double
    /// The size `[h, w]` the reconstruction is cropped to.
    public var cropSize: [Int]
}

/// fastMRI's `VarNetDataTransform`: undersamples a slice (or applies the file's own mask) and keeps
/// what the VarNet loss and evaluation need.
public struct VarNetDataTransform: Sendable {
    /// The on-the-fly undersampling; `nil` uses the file's mask (test data) and leaves the k-space as is.
    public let undersampling: Undersampling?

    /// A transform undersampling with `undersampling`, or using the file's mask when `nil`.
    public init(undersampling: Undersampling? = nil) { self.undersampling = undersampling }

    /// The VarNet sample of `slice`, drawing any mask seed from `generator`.
    /// - Throws: `DataError` naming the file when the padding attributes or the mask do not fit
    ///   the k-space, or neither a mask function nor a file mask is there.
    public func callAsFunction(_ slice: KSpaceSlice, generator: Generator) throws -> VarNetSample {
        let acquired = try acquiredColumns(slice)
        let target = slice.target ?? Tensor(scalar: Float(0))
        let maxValue = slice.target == nil ? 0 : slice.maxValue ?? 0
        let maskedKSpace: Tensor
        let mask: Tensor
        let numLowFrequencies: Int
        if let undersampling {
            (maskedKSpace, mask, numLowFrequencies) = try undersampling(
                slice.kspace, acquired: acquired, fileName: slice.fileName, generator: generator)
        } else {
            let width = slice.kspace.shape[slice.kspace.rank - 1]
            guard let fileMask = slice.mask, fileMask.count == width else {
                throw DataError(file: slice.fileName, field: "mask", "needs \(width) entries, one per k-space column")
            }
            let shape = Array(repeating: 1, count: slice.kspace.rank - 1) + [width]
            maskedKSpace = slice.kspace
            mask = fileMask.to(dtype: .float32).reshape(shape) * columnWindow(acquired, width: width)
            numLowFrequencies = 0
        }
        return VarNetSample(
            maskedKSpace: maskedKSpace, mask: mask.to(dtype: .bool), numLowFrequencies: numLowFrequencies,
            target: target, fileName: slice.fileName, sliceNumber: slice.sliceNumber, maxValue: maxValue,
            cropSize: slice.reconSize)
    }
}

/// `padding_left ..< padding_right`, checked against the k-space width.
func acquiredColumns(_ slice: KSpaceSlice) throws -> Range<Int> {
    let width = slice.kspace.shape.last ?? 0
    guard slice.kspace.rank >= 2, 0 <= slice.paddingLeft, slice.paddingLeft <= slice.paddingRight,
        slice.paddingRight <= width
    else {
        throw DataError(
            file: slice.fileName, field: "padding_left/padding_right",
            "\(slice.paddingLeft)..<\(slice.paddingRight) is not a column range of k-space \(slice.kspace.shape)")
    }
    return slice.paddingLeft..<slice.paddingRight
}

/// A batch of VarNet samples: tensors stacked along a new first dimension.
public struct VarNetBatch: Sendable {
    /// `[batch, coils, H, W]` complex.
    public var maskedKSpace: Tensor
    /// `[batch, 1, 1, W]` bool.
    public var mask: Tensor
    /// Per sample.
    public var numLowFrequencies: [Int]
    /// `[batch, h, w]`.
    public var target: Tensor
    /// Per sample.
    public var fileNames: [String]
    /// Per sample.
    public var sliceNumbers: [Int]
    /// `[batch]` float64.
    public var maxValue: Tensor
    /// Per sample, `[h, w]`.
    public var cropSizes: [[Int]]
}

extension VarNetSample: Collatable {
    public static func collate(_ samples: [VarNetSample]) throws -> VarNetBatch {
        VarNetBatch(
            maskedKSpace: try Tensor.collate(samples.map(\.maskedKSpace)), mask: try Tensor.collate(samples.map(\.mask)),
            numLowFrequencies: samples.map(\.numLowFrequencies), target: try Tensor.collate(samples.map(\.target)),
            fileNames: samples.map(\.fileName), sliceNumbers: samples.map(\.sliceNumber),
            maxValue: try Double.collate(samples.map(\.maxValue)), cropSizes: samples.map(\.cropSize))
    }
}

extension VarNetBatch: DeviceTransferable {
    public func pinMemory() -> VarNetBatch {
        var batch = self
        (batch.maskedKSpace, batch.mask, batch.target, batch.maxValue) =
            (maskedKSpace.pinMemory(), mask.pinMemory(), target.pinMemory(), maxValue.pinMemory())
        return batch
    }

    public func to(device: Device, nonBlocking: Bool) -> VarNetBatch {
        var batch = self
        (batch.maskedKSpace, batch.mask, batch.target, batch.maxValue) = (
            maskedKSpace.to(device: device, nonBlocking: nonBlocking), mask.to(device: device, nonBlocking: nonBlocking),
            target.to(device: device, nonBlocking: nonBlocking), maxValue.to(device: device, nonBlocking: nonBlocking)
        )
        return batch
    }
}
