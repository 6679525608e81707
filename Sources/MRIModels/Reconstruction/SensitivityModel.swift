import Torch

/// fastMRI's learned coil-sensitivity estimator (`fastmri.models.varnet.SensitivityModel`), the
/// first stage of ``VarNet``.
///
/// The centre of the undersampled k-space (the low frequencies, optionally only those) is
/// transformed to coil images, each coil image goes through a ``NormUnet`` as a batch element,
/// and the results are divided by their root sum of squares over coils.
/// A. Sriram et al., "End-to-End Variational Networks for Accelerated MRI Reconstruction",
/// MICCAI 2020 (arXiv:2004.06688).
///
/// State-dict keys: `norm_unet.unet.…`.
public final class SensitivityModel: Module {
    /// Whether only the centre (low-frequency) columns of k-space are used to estimate the maps.
    public var maskCenter: Bool
    let normUnet: NormUnet

    /// A sensitivity model with fastMRI's hyper-parameters.
    ///
    /// - Parameters:
    ///   - chans: output channels of the U-Net's first convolution.
    ///   - numPools: the U-Net's down-sampling levels.
    ///   - inChans: the U-Net's real input channels.
    ///   - outChans: the U-Net's real output channels.
    ///   - dropProb: dropout probability.
    ///   - maskCenter: estimate the maps from the low-frequency columns only.
    public init(
        chans: Int, numPools: Int, inChans: Int = 2, outChans: Int = 2, dropProb: Double = 0, maskCenter: Bool = true
    ) {
        self.maskCenter = maskCenter
        normUnet = NormUnet(chans: chans, numPools: numPools, inChans: inChans, outChans: outChans, dropProb: dropProb)
    }

    /// The estimated coil sensitivities.
    ///
    /// - Parameters:
    ///   - maskedKspace: complex `[N, coils, H, W]`, zeros where not sampled.
    ///   - mask: the sampled columns, `[N or 1, 1, 1, W]`, bool or nonzero where sampled.
    ///   - numLowFrequencies: the number of fully sampled centre columns; `nil` or 0 detects them
    ///     from `mask` as fastMRI does (twice the shorter sampled run from the centre, at least 1).
    /// - Returns: complex `[N, coils, H, W]`, of unit root sum of squares over coils at every pixel.
    public func callAsFunction(_ maskedKspace: Tensor, mask: Tensor, numLowFrequencies: Int? = nil) -> Tensor {
        var kspace = maskedKspace
        if maskCenter {
            let centre = Self.lowFrequencyColumns(mask: mask, numLowFrequencies: numLowFrequencies)
            kspace = Tensor.where(
                centre.to(device: kspace.device), kspace, Tensor.zeros([], dtype: kspace.dtype, device: kspace.device))
        }
        let images = CenteredFFT.inverse(kspace)
        let (batch, coils, height, width) = (images.size(0), images.size(1), images.size(2), images.size(3))
        let maps = normUnet(images.reshape([batch * coils, 1, height, width])).view([batch, coils, height, width])
        return maps / CoilCombination.rootSumOfSquares(maps, dim: 1).unsqueeze(1)
    }

    /// The centre columns kept for the estimate, `[mask.size(0), 1, 1, W]` bool: `n` columns from
    /// `(W - n + 1) / 2`, with `n` given or detected from `mask` as fastMRI's
    /// `get_pad_and_num_low_freqs` does.
    static func lowFrequencyColumns(mask: Tensor, numLowFrequencies: Int?) -> Tensor {
        let width = mask.size(-1)
        let rows = (mask.reshape([mask.size(0), width]) .!= 0).to(dtype: .int64).toArray(of: Int64.self)
        let kept = stride(from: 0, to: rows.count, by: width).flatMap { start -> [Bool] in
            let count: Int
            if let numLowFrequencies, numLowFrequencies > 0 {
                count = numLowFrequencies
            } else {
                let sampled = rows[start..<(start + width)].map { $0 != 0 }
                let centre = width / 2
                // Sampled columns on each side of the centre before the first gap (fastMRI's argmin,
                // so a side without a gap counts 0); the kept centre is symmetric.
                let left = Array(sampled[..<centre].reversed()).firstIndex(of: false) ?? 0
                let right = Array(sampled[centre...]).firstIndex(of: false) ?? 0
                count = max(2 * min(left, right), 1)
            }
            let first = (width - count + 1) / 2
            return (0..<width).map { $0 >= first && $0 < first + count }
        }
        return Tensor(kept.map { $0 ? Float(1) : 0 }, shape: [mask.size(0), 1, 1, width]) .!= 0
    }
}
