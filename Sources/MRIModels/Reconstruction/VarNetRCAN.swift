import Torch

/// Seed 000's hybrid reconstruction (3rd place, 2022 SNU fastMRI challenge): a frozen
/// ``VarNet`` reconstructs the k-space, its image is stacked with the GRAPPA image of the same
/// slice, and an ``RCAN`` refines the pair in the image domain.
///
/// A. Sriram et al., "End-to-End Variational Networks for Accelerated MRI Reconstruction",
/// MICCAI 2020; M. Griswold et al., "Generalized autocalibrating partially parallel
/// acquisitions (GRAPPA)", MRM 2002; Y. Zhang et al., "Image Super-Resolution Using Very Deep
/// Residual Channel Attention Networks", ECCV 2018. The flip self-ensemble follows R. Timofte
/// et al., "Seven ways to improve example-based single image super resolution", CVPR 2016.
///
/// The VarNet's parameters are frozen and it runs without recording gradients, so only the RCAN
/// trains. Keys: `varnet.…` (a fastMRI VarNet checkpoint's keys under `varnet.`), `rcan.…`.
public final class VarNetRCAN: Module {
    let varnet: VarNet
    let rcan: RCAN

    /// The hybrid of a (trained) `varnet`, which is frozen, and an image-domain `rcan` with two
    /// input channels (the VarNet and GRAPPA images) and one output channel.
    public init(varnet: VarNet = VarNet(), rcan: RCAN = RCAN(inChannels: 2, outChannels: 1)) {
        self.varnet = varnet.freeze()
        self.rcan = rcan
    }

    /// The refined image.
    ///
    /// - Parameters:
    ///   - maskedKspace: complex `[N, coils, H, W]`, zeros where not sampled.
    ///   - mask: the sampled columns, `[N or 1, 1, 1, W]`.
    ///   - grappaImage: real `[N, H, W]`, the root-sum-of-squares GRAPPA image of the same slice
    ///     (see ``grappaImage(_:mask:)``).
    ///   - numLowFrequencies: the fully sampled centre columns; `nil` detects them.
    /// - Returns: real `[N, H, W]`.
    public func callAsFunction(
        _ maskedKspace: Tensor, mask: Tensor, grappaImage: Tensor, numLowFrequencies: Int? = nil
    ) -> Tensor {
        refine(varnetImage(maskedKspace, mask: mask, numLowFrequencies: numLowFrequencies), grappaImage)
    }

    /// The mean of the refinement of the images and of their left-right mirror images (mirrored
    /// back), for inference; the VarNet runs once. Arguments and result as
    /// ``callAsFunction(_:mask:grappaImage:numLowFrequencies:)``.
    public func selfEnsemble(
        _ maskedKspace: Tensor, mask: Tensor, grappaImage: Tensor, numLowFrequencies: Int? = nil
    ) -> Tensor {
        let image = varnetImage(maskedKspace, mask: mask, numLowFrequencies: numLowFrequencies)
        let mirrored = refine(image.flip(dims: [-1]), grappaImage.flip(dims: [-1])).flip(dims: [-1])
        return (refine(image, grappaImage) + mirrored) / 2
    }

    /// The GRAPPA image the hybrid takes: the root sum of squares of the GRAPPA-filled k-space's
    /// coil images, with ``GRAPPA/reconstruct(_:mask:kernelSize:lambda:acsLines:)``'s defaults.
    ///
    /// - Parameters:
    ///   - maskedKspace: complex `[N, coils, H, W]`.
    ///   - mask: the sampled columns, last dimension `W`.
    /// - Returns: real `[N, H, W]`.
    /// - Throws: what GRAPPA throws for bad k-space or a mask without a usable ACS region.
    public static func grappaImage(_ maskedKspace: Tensor, mask: Tensor) throws -> Tensor {
        try ZeroFilled.rss(GRAPPA.reconstruct(maskedKspace, mask: mask))
    }

    private func varnetImage(_ maskedKspace: Tensor, mask: Tensor, numLowFrequencies: Int?) -> Tensor {
        withoutGradient { varnet(maskedKspace, mask: mask, numLowFrequencies: numLowFrequencies) }
    }

    /// RCAN on the two images stacked as channels: `[N, H, W]` twice → `[N, H, W]`.
    private func refine(_ image: Tensor, _ grappaImage: Tensor) -> Tensor {
        rcan(Tensor.stack([image, grappaImage], dim: 1)).squeeze(dim: 1)
    }
}
