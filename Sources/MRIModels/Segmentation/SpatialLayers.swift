/// Layer constructors over the number of spatial dimensions, as MONAI's `Conv[...]`, `Norm[...]`,
/// `Dropout[...]` and `Pool[...]` factories pick `nn.Conv2d` or `nn.Conv3d` by `spatial_dims`.
enum SpatialLayers {
    /// `Conv2d` or `Conv3d` with a cubic kernel.
    static func conv(
        _ spatialDims: Int, _ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        bias: Bool = true, generator: Generator?
    ) -> any UnaryLayer {
        switch checked(spatialDims) {
        case 2: Conv2d(inChannels, outChannels, kernelSize: [kernelSize], stride: [stride], padding: [padding],
                       bias: bias, generator: generator)
        default: Conv3d(inChannels, outChannels, kernelSize: [kernelSize], stride: [stride], padding: [padding],
                        bias: bias, generator: generator)
        }
    }

    /// `ConvTranspose2d` or `ConvTranspose3d` with a cubic kernel.
    static func convTranspose(
        _ spatialDims: Int, _ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int, bias: Bool = true,
        generator: Generator?
    ) -> any UnaryLayer {
        switch checked(spatialDims) {
        case 2: ConvTranspose2d(inChannels, outChannels, kernelSize: [kernelSize], stride: [stride], bias: bias,
                                generator: generator)
        default: ConvTranspose3d(inChannels, outChannels, kernelSize: [kernelSize], stride: [stride], bias: bias,
                                 generator: generator)
        }
    }

    /// MONAI's `Convolution(..., conv_only=True)`: a convolution with "same" padding held under the
    /// name `conv` (state-dict keys `conv.weight`, `conv.bias`).
    static func monaiConv(
        _ spatialDims: Int, _ inChannels: Int, _ outChannels: Int, kernelSize: Int = 3, stride: Int = 1,
        bias: Bool = false, generator: Generator?
    ) -> NamedSequential {
        NamedSequential([("conv", conv(spatialDims, inChannels, outChannels, kernelSize: kernelSize, stride: stride,
                                       padding: (kernelSize - 1) / 2, bias: bias, generator: generator))])
    }

    /// `BatchNorm2d` or `BatchNorm3d`.
    static func batchNorm(_ spatialDims: Int, _ channels: Int) -> any UnaryLayer {
        checked(spatialDims) == 2 ? BatchNorm2d(channels) : BatchNorm3d(channels)
    }

    /// `InstanceNorm2d` or `InstanceNorm3d`.
    static func instanceNorm(_ spatialDims: Int, _ channels: Int, affine: Bool) -> any UnaryLayer {
        checked(spatialDims) == 2 ? InstanceNorm2d(channels, affine: affine) : InstanceNorm3d(channels, affine: affine)
    }

    /// MONAI's `Dropout[Dropout.DROPOUT, dim]`: element dropout for `dim` 1, channel dropout for 2 and 3.
    static func dropout(dim: Int, p: Double) -> any UnaryLayer {
        switch dim {
        case 1: Dropout(p: p)
        case 2: Dropout2d(p: p)
        case 3: Dropout3d(p: p)
        default: preconditionFailure("dropout_dim must be 1, 2 or 3, got \(dim)")
        }
    }

    /// `MaxPool2d` or `MaxPool3d` with kernel and stride 2.
    static func maxPool(_ spatialDims: Int) -> any UnaryLayer {
        checked(spatialDims) == 2 ? MaxPool2d(kernelSize: [2]) : MaxPool3d(kernelSize: [2])
    }

    /// MONAI's non-trainable `UpSample`: ×2 linear interpolation without corner alignment
    /// (`bilinear` in 2-d, `trilinear` in 3-d).
    static func linearUpsample(_ spatialDims: Int, alignCorners: Bool) -> any UnaryLayer {
        Upsample(scaleFactor: [2], mode: checked(spatialDims) == 2 ? .bilinear : .trilinear, alignCorners: alignCorners)
    }

    private static func checked(_ spatialDims: Int) -> Int {
        precondition(spatialDims == 2 || spatialDims == 3, "spatial_dims can only be 2 or 3, got \(spatialDims)")
        return spatialDims
    }
}

/// How a MONAI decoder doubles the spatial size (MONAI's `UpsampleMode`; `pixelshuffle` is not offered).
public enum UpsampleMode: String, Sendable {
    /// A 2×2(×2) stride-2 transposed convolution (`"deconv"`).
    case deconv
    /// Linear interpolation without parameters (`"nontrainable"`).
    case nontrainable
}

extension UpsampleMode {
    /// MONAI's `UpSample` block for `channels` channels in this mode, with its state-dict names
    /// (`deconv.weight`; the interpolation, `upsample_non_trainable`, has none).
    func layer(_ spatialDims: Int, channels: Int, alignCorners: Bool, generator: Generator?) -> NamedSequential {
        switch self {
        case .deconv:
            NamedSequential([("deconv", SpatialLayers.convTranspose(
                spatialDims, channels, channels, kernelSize: 2, stride: 2, generator: generator))])
        case .nontrainable:
            NamedSequential([("upsample_non_trainable", SpatialLayers.linearUpsample(
                spatialDims, alignCorners: alignCorners))])
        }
    }
}
