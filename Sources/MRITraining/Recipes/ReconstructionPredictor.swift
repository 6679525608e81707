/// A trained fastMRI reconstruction network as `mrikit evaluate` and `mrikit reconstruct` use it:
/// each undersampled multi-coil slice in, the image cropped to the target (or recon size) out, in
/// evaluation mode without gradients. Seed 000's hybrid predicts with the flip self-ensemble when
/// its recipe asks for it.
public struct ReconstructionPredictor {
    /// The method's name in reports (`VarNet`, `U-Net`, `VarNet+RCAN`).
    public let name: String
    /// The recipe's mask, which undersamples files without their own.
    public let mask: MaskRecipe
    let predict: (VarNetBatch) throws -> Tensor

    /// The images `[slices, h, w]` of `volume`'s slices.
    public func callAsFunction(_ volume: FastMRIVolumes.Volume) throws -> Tensor {
        try withoutGradient { Tensor.cat(try volume.slices.map(predict)) }
    }
}

extension AnyReconstructionRecipe {
    /// The recipe's network with the weights at `checkpoint` (a training checkpoint or a plain
    /// state dict, `.pt` or `.safetensors`).
    /// - Throws: `TrainingError.configuration` for a recipe that does not train on multi-coil
    ///   fastMRI files (cine, single-coil U-Net), and what loading the weights throws.
    public func trainedPredictor(checkpoint: String) throws -> ReconstructionPredictor {
        switch self {
        case .varnet(let recipe):
            let model = try Self.trained(recipe.model.make(), checkpoint)
            return ReconstructionPredictor(name: "VarNet", mask: recipe.data.mask) { try VarNetTraining.predict(model, $0) }
        case .unet(let recipe):
            guard recipe.data.challenge == .multiCoil else {
                throw TrainingError.configuration(field: "data.challenge", allowed: "multicoil to reconstruct fastMRI multi-coil files")
            }
            let model = try Self.trained(recipe.model.make(), checkpoint)
            return ReconstructionPredictor(name: "U-Net", mask: recipe.data.mask) { batch in
                let slice = KSpaceSlice(
                    kspace: batch.maskedKSpace[0], target: batch.target.rank == 3 ? batch.target[0] : nil,
                    reconSize: batch.cropSizes[0], fileName: batch.fileNames[0], sliceNumber: batch.sliceNumbers[0])
                let sample = try UnetSample.collate([UnetDataTransform(challenge: .multicoil)(slice, generator: Generator(seed: 0))])
                return sample.unnormalized(UnetTraining.predict(model, sample))
            }
        case .varnetRCAN(let recipe):
            let model = try Self.trained(recipe.model.make(), checkpoint)
            return ReconstructionPredictor(name: "VarNet+RCAN", mask: recipe.data.mask) { batch in
                let grappa = try VarNetRCAN.grappaImage(batch.maskedKSpace, mask: batch.mask)
                return try VarNetRCANTraining.predict(
                    model, HybridBatch(slice: batch, grappaImage: grappa), selfEnsemble: recipe.model.selfEnsemble)
            }
        case .cine:
            throw TrainingError.configuration(field: "model.name", allowed: "a fastMRI recipe (varnet, unet, varnet_rcan)")
        }
    }

    private static func trained<Model: Module>(_ model: Model, _ checkpoint: String) throws -> Model {
        try model.loadWeights(fromPath: checkpoint)
        return model.eval()
    }
}
