import Torch

/// fastMRI's end-to-end variational network (`fastmri.models.VarNet`, E2E-VarNet).
///
/// A ``SensitivityModel`` estimates coil sensitivities from the undersampled k-space; then
/// `numCascades` ``VarNetBlock``s refine the k-space, each by soft data consistency with a learnt
/// weight and a ``NormUnet`` regulariser on the sensitivity-combined image. The output is the
/// root-sum-of-squares image of the final k-space.
/// A. Sriram et al., "End-to-End Variational Networks for Accelerated MRI Reconstruction",
/// MICCAI 2020 (arXiv:2004.06688).
///
/// With the defaults the network has 29,936,966 parameters, and a fastMRI checkpoint loads
/// strictly: keys `sens_net.norm_unet.unet.…`, `cascades.{i}.dc_weight`, `cascades.{i}.model.unet.…`.
public final class VarNet: Module {
    let sensNet: SensitivityModel
    let cascades: [VarNetBlock]

    /// Whether every cascade runs under gradient checkpointing in training (its activations are
    /// recomputed during `backward`), trading compute for memory. fastMRI has no such option.
    /// Cascades can be switched one by one through ``blockCheckpointing``.
    public var gradientCheckpointing: Bool {
        get { cascades.allSatisfy(\.isCheckpointed) }
        set { for cascade in cascades { cascade.isCheckpointed = newValue } }
    }

    /// An E2E-VarNet with fastMRI's hyper-parameters and defaults.
    ///
    /// - Parameters:
    ///   - numCascades: the number of unrolled cascades.
    ///   - sensChans: channels of the sensitivity U-Net's first convolution.
    ///   - sensPools: down-sampling levels of the sensitivity U-Net.
    ///   - chans: channels of each cascade U-Net's first convolution.
    ///   - pools: down-sampling levels of each cascade U-Net.
    ///   - maskCenter: estimate sensitivities from the low-frequency columns only.
    public init(
        numCascades: Int = 12, sensChans: Int = 8, sensPools: Int = 4, chans: Int = 18, pools: Int = 4,
        maskCenter: Bool = true
    ) {
        sensNet = SensitivityModel(chans: sensChans, numPools: sensPools, maskCenter: maskCenter)
        cascades = (0..<numCascades).map { _ in VarNetBlock(model: NormUnet(chans: chans, numPools: pools)) }
    }

    /// Whether sensitivities come from the low-frequency columns only (``SensitivityModel/maskCenter``).
    public var maskCenter: Bool {
        get { sensNet.maskCenter }
        set { sensNet.maskCenter = newValue }
    }

    /// The reconstruction of undersampled multi-coil k-space.
    ///
    /// - Parameters:
    ///   - maskedKspace: complex `[N, coils, H, W]`, zeros where not sampled.
    ///   - mask: the sampled columns, `[N or 1, 1, 1, W]`, bool or nonzero where sampled.
    ///   - numLowFrequencies: the fully sampled centre columns; `nil` or 0 detects them from `mask`.
    /// - Returns: the root-sum-of-squares image, real `[N, H, W]`.
    public func callAsFunction(_ maskedKspace: Tensor, mask: Tensor, numLowFrequencies: Int? = nil) -> Tensor {
        CoilCombination.rootSumOfSquares(
            CenteredFFT.inverse(kspace(maskedKspace, mask: mask, numLowFrequencies: numLowFrequencies)), dim: 1)
    }

    /// The final cascade's k-space prediction (before the root-sum-of-squares image).
    ///
    /// - Parameters: as ``callAsFunction(_:mask:numLowFrequencies:)``.
    /// - Returns: complex `[N, coils, H, W]`.
    public func kspace(_ maskedKspace: Tensor, mask: Tensor, numLowFrequencies: Int? = nil) -> Tensor {
        let sensitivities = sensNet(maskedKspace, mask: mask, numLowFrequencies: numLowFrequencies)
        let sampled = mask .!= 0
        return cascades.reduce(maskedKspace) { kspace, cascade in
            guard isTraining && cascade.isCheckpointed else {
                return cascade(kspace, reference: maskedKspace, mask: sampled, sensitivities: sensitivities)
            }
            return checkpoint(inputs: [kspace, sensitivities]) { inputs in
                [cascade(inputs[0], reference: maskedKspace, mask: sampled, sensitivities: inputs[1])]
            }[0]
        }
    }
}

/// One cascade of ``VarNet`` (`fastmri.models.varnet.VarNetBlock`): soft data consistency with a
/// learnt weight plus a regulariser applied to the sensitivity-combined image,
/// `k − dcWeight · M(k − k₀) − F S model(Σ S* F⁻¹ k)`.
///
/// Keys: `dc_weight` `[1]`, `model.…`.
public final class VarNetBlock: Module {
    /// The weight of the data-consistency term, initially 1.
    @Parameter public var dcWeight = Tensor.ones([1])
    let model: any UnaryLayer

    /// A cascade whose regulariser is `model`, a map of complex images `[N, 1, H, W]` → `[N, 1, H, W]`
    /// (``NormUnet`` in ``VarNet``).
    public init(model: any UnaryLayer) {
        self.model = model
    }

    /// The refined k-space.
    ///
    /// - Parameters:
    ///   - currentKspace: complex `[N, coils, H, W]`, the previous cascade's k-space.
    ///   - reference: complex `[N, coils, H, W]`, the measured (masked) k-space.
    ///   - mask: bool `[N or 1, 1, 1, W]`, true where sampled.
    ///   - sensitivities: complex `[N, coils, H, W]` coil sensitivities.
    /// - Returns: complex `[N, coils, H, W]`.
    public func callAsFunction(_ currentKspace: Tensor, reference: Tensor, mask: Tensor, sensitivities: Tensor) -> Tensor {
        let zero = Tensor.zeros([], dtype: currentKspace.dtype, device: currentKspace.device)
        let softDC = Tensor.where(mask, currentKspace - reference, zero) * dcWeight
        let image = CoilCombination.reduce(CenteredFFT.inverse(currentKspace), sensitivities: sensitivities)
        let modelTerm = CenteredFFT.forward(CoilCombination.spread(model(image), sensitivities: sensitivities))
        return currentKspace - softDC - modelTerm
    }
}
