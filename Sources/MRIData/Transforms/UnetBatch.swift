/// A batch of U-Net samples (fastMRI's collated `UnetSample`): tensors stacked along a new first
/// dimension.
public struct UnetBatch: Sendable {
    /// The normalised zero-filled images `[batch, h, w]`.
    public var image: Tensor
    /// The normalised targets `[batch, h, w]` (`[batch, 1]` zeros without targets).
    public var target: Tensor
    /// The images' means before normalisation `[batch]`.
    public var mean: Tensor
    /// The images' standard deviations before normalisation `[batch]`.
    public var std: Tensor
    /// Per sample.
    public var fileNames: [String]
    /// Per sample.
    public var sliceNumbers: [Int]
    /// `[batch]` float64.
    public var maxValue: Tensor

    /// `normalised` `[batch, h, w]` (images, targets or network outputs) brought back to the
    /// images' scale: `normalised · std + mean` per sample, as fastMRI's validation does.
    public func unnormalized(_ normalised: Tensor) -> Tensor {
        normalised * std.reshape([-1, 1, 1]) + mean.reshape([-1, 1, 1])
    }
}

extension UnetSample: Collatable {
    /// The samples' tensors stacked along a new first dimension, their other fields listed.
    public static func collate(_ samples: [UnetSample]) throws -> UnetBatch {
        UnetBatch(
            image: try Tensor.collate(samples.map(\.image)), target: try Tensor.collate(samples.map(\.target)),
            mean: try Tensor.collate(samples.map(\.mean)), std: try Tensor.collate(samples.map(\.std)),
            fileNames: samples.map(\.fileName), sliceNumbers: samples.map(\.sliceNumber),
            maxValue: try Double.collate(samples.map(\.maxValue)))
    }
}
