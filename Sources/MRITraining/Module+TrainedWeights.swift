extension Module {
    /// Loads weights from a `.pt` or `.safetensors` file: a plain state dict (e.g. fastMRI's or
    /// MONAI's) or an MRIKit training checkpoint (whose `model.` entries are used).
    public func loadWeights(fromPath path: String) throws {
        let saved = path.hasSuffix(".safetensors")
            ? try SafeTensors.load(fromPath: path) : try TorchCheckpoint.load(fromPath: path)
        let isCheckpoint = saved.keys.contains("trainer.history")
        _ = try loadStateDict(isCheckpoint ? saved.section("model") : saved)
    }
}
