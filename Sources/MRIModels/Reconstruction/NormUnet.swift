import Foundation

/// fastMRI's normalised U-Net (`fastmri.models.varnet.NormUnet`): a ``Unet`` on the real and
/// imaginary parts of a complex image, normalised before and restored after.
///
/// The real parts and the imaginary parts are each normalised to zero mean and unit (unbiased)
/// standard deviation per sample, zero-padded on both sides to a multiple of 16 so the pooling
/// levels divide evenly, passed through the U-Net, cropped and de-normalised.
/// A. Sriram et al., "End-to-End Variational Networks for Accelerated MRI Reconstruction",
/// MICCAI 2020 (arXiv:2004.06688).
///
/// State-dict keys: `unet.…` (see ``Unet``).
public final class NormUnet: Module, UnaryLayer {
    let unet: Unet

    /// A normalised U-Net with fastMRI's hyper-parameters.
    ///
    /// - Parameters:
    ///   - chans: output channels of the U-Net's first convolution.
    ///   - numPools: the U-Net's down-sampling levels.
    ///   - inChans: real input channels, twice the complex channels of the input (fastMRI uses 2).
    ///   - outChans: real output channels, twice the complex channels of the output.
    ///   - dropProb: dropout probability.
    public init(chans: Int, numPools: Int, inChans: Int = 2, outChans: Int = 2, dropProb: Double = 0) {
        precondition(inChans % 2 == 0 && outChans % 2 == 0, "NormUnet needs even (complex) channel counts")
        unet = Unet(inChans: inChans, outChans: outChans, chans: chans, numPoolLayers: numPools, dropProb: dropProb)
    }

    /// The network applied to a complex image.
    ///
    /// - Parameter image: complex `[N, inChans / 2, H, W]` (VarNet passes `[N, 1, H, W]`).
    /// - Returns: complex `[N, outChans / 2, H, W]`.
    public func forward(_ image: Tensor) -> Tensor {
        let channels = ComplexChannels.split(image)
        let (batch, height, width) = (channels.size(0), channels.size(2), channels.size(3))
        // Statistics over the real parts and over the imaginary parts (fastMRI's "group norm").
        let groups = channels.view([batch, 2, -1])
        let mean = groups.mean(dim: 2).view([batch, 2, 1, 1, 1])
        let std = groups.std(dim: 2).view([batch, 2, 1, 1, 1])
        let normalised = ((channels.view([batch, 2, -1, height, width]) - mean) / std).view([batch, -1, height, width])

        let (heightPad, widthPad) = (Self.padding(height), Self.padding(width))
        let output = unet(normalised.pad(widthPad + heightPad))
            .narrow(dim: 2, start: heightPad[0], length: height)
            .narrow(dim: 3, start: widthPad[0], length: width)
        let restored = output.reshape([batch, 2, -1, height, width]) * std + mean
        return ComplexChannels.merge(restored.view([batch, -1, height, width]))
    }

    /// `[before, after]` zero padding that brings `size` to the next multiple of 16, split as fastMRI does.
    static func padding(_ size: Int) -> [Int] {
        let multiple = ((size - 1) | 15) + 1
        return [(multiple - size) / 2, (multiple - size + 1) / 2]
    }
}
