extension Losses {
    /// The KL term of Myronenko's VAE regulariser, `L_KL = (1/N) Σ (μ² + σ² − log σ² − 1)`, summed over
    /// all latent entries and divided by the image's voxel count `N` (A. Myronenko, "3D MRI brain tumor
    /// segmentation using autoencoder regularization", BrainLes 2018, eq. 2). This is twice the KL
    /// divergence of `N(μ, σ²)` from `N(0, 1)` per latent dimension, scaled by `1/N`, exactly as the paper
    /// writes it.
    ///
    /// - Parameters:
    ///   - mean: the latent means `μ`, any shape (`[B, latent]` in the paper, latent = 128).
    ///   - std: the latent standard deviations `σ > 0`, shaped like `mean`.
    ///   - voxelCount: `N`.
    public static func vaeKLDivergence(mean: Tensor, std: Tensor, voxelCount: Int) -> Tensor {
        let variance = std.square()
        return (mean.square() + variance - variance.log() - 1).sum() / Double(voxelCount)
    }

    /// Myronenko's VAE regulariser `l2Weight · L_L2 + klWeight · L_KL`, the part of the BraTS 2018 winning
    /// loss `L = L_dice + 0.1·L_L2 + 0.1·L_KL` that the VAE branch adds (BrainLes 2018).
    ///
    /// `L_L2` is the mean squared error between the reconstruction and the input image; `L_KL` is
    /// `Losses.vaeKLDivergence` with `N` the image's voxels, batch items included and channels not
    /// (`image.count / C`), so that for one item it is the paper's voxel count.
    ///
    /// - Parameters:
    ///   - reconstruction: the VAE branch's output, shaped like `image`.
    ///   - image: the network input `[B, C, D, H, W]` (or any `[B, C, spatial...]`).
    ///   - mean: the latent means `μ` (`[B, latent]`).
    ///   - std: the latent standard deviations `σ`, shaped like `mean`.
    ///   - l2Weight: the reconstruction term's weight (0.1 in the paper).
    ///   - klWeight: the KL term's weight (0.1 in the paper).
    public static func vaeRegularization(
        reconstruction: Tensor, image: Tensor, mean: Tensor, std: Tensor, l2Weight: Double = 0.1,
        klWeight: Double = 0.1
    ) -> Tensor {
        let reconstructionLoss = Functional.mseLoss(reconstruction, target: image)
        let divergence = vaeKLDivergence(mean: mean, std: std, voxelCount: image.count / image.shape[1])
        return l2Weight * reconstructionLoss + klWeight * divergence
    }
}

/// Myronenko's VAE regulariser as a value (its term weights); see `Losses.vaeRegularization`. Add it to
/// the Dice loss of the segmentation output for the paper's total loss.
public struct VAERegularizationLoss {
    /// The reconstruction (mean squared error) term's weight.
    public var l2Weight: Double
    /// The KL term's weight.
    public var klWeight: Double

    /// The regulariser with the paper's weights, 0.1 each.
    public init(l2Weight: Double = 0.1, klWeight: Double = 0.1) {
        self.l2Weight = l2Weight
        self.klWeight = klWeight
    }

    /// The regulariser of a reconstruction of `image` `[B, C, spatial...]` from a latent `N(mean, std²)`.
    public func callAsFunction(reconstruction: Tensor, image: Tensor, mean: Tensor, std: Tensor) -> Tensor {
        Losses.vaeRegularization(
            reconstruction: reconstruction, image: image, mean: mean, std: std, l2Weight: l2Weight,
            klWeight: klWeight)
    }
}
