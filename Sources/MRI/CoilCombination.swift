/// Combining multi-coil images into one image and spreading one image over the coils.
public enum CoilCombination {
    /// The root sum of squares over `dim`: `sqrt(Σ |x|²)` (fastMRI's `rss`, and `rss_complex`
    /// on native complex tensors).
    ///
    /// - Parameters:
    ///   - data: real or complex, e.g. coil images `[batch, coils, H, W]`.
    ///   - dim: the coil dimension (fastMRI's default is `0`; the batched layout here uses `1`).
    /// - Returns: a real tensor with `dim` removed, e.g. `[batch, H, W]`.
    public static func rootSumOfSquares(_ data: Tensor, dim: Int) -> Tensor {
        data.abs().square().sum(dim: dim).sqrt()
    }

    /// The sensitivity-weighted coil combination `Σ_c conj(S_c)·x_c` (fastMRI's `sens_reduce`
    /// without the FFT; with `Σ|S|² = 1` it is the least-squares image).
    ///
    /// - Parameters:
    ///   - images: complex coil images `[batch, coils, H, W]`.
    ///   - sensitivities: complex sensitivity maps, same shape.
    /// - Returns: `[batch, 1, H, W]`.
    /// - Throws: `MRIError` if the shapes differ or a tensor is not 4D complex.
    public static func combine(_ images: Tensor, sensitivities: Tensor) throws -> Tensor {
        try requireCoilImages(images, "images")
        try requireCoilImages(sensitivities, "sensitivities")
        try MRIError.require(
            images.shape == sensitivities.shape, "sensitivities",
            "shape \(sensitivities.shape) differs from the images' \(images.shape)")
        return reduce(images, sensitivities: sensitivities)
    }

    /// `Σ_c conj(S_c)·x_c` over dim 1, keeping it, without checks (for iterative solvers' inner loops and
    /// networks such as VarNet): complex `[batch, coils, H, W]` twice → `[batch, 1, H, W]`.
    public static func reduce(_ images: Tensor, sensitivities: Tensor) -> Tensor {
        (images * sensitivities.conj()).sum(dim: 1, keepdim: true)
    }

    /// The coil images `S_c·x` of one image (fastMRI's `sens_expand` without the FFT).
    ///
    /// - Parameters:
    ///   - image: a complex image `[batch, 1, H, W]`.
    ///   - sensitivities: complex sensitivity maps `[batch, coils, H, W]`.
    /// - Returns: `[batch, coils, H, W]`.
    /// - Throws: `MRIError` if `image` is not `[batch, 1, H, W]` matching `sensitivities`.
    public static func expand(_ image: Tensor, sensitivities: Tensor) throws -> Tensor {
        try requireCoilImages(image, "image")
        try requireCoilImages(sensitivities, "sensitivities")
        let s = sensitivities.shape
        try MRIError.require(
            image.shape == [s[0], 1, s[2], s[3]], "image",
            "shape \(image.shape) should be [\(s[0]), 1, \(s[2]), \(s[3])] for sensitivities \(s)")
        return spread(image, sensitivities: sensitivities)
    }

    /// `S_c·x` for an image `[batch, 1, H, W]` and maps `[batch, coils, H, W]`, without checks (for iterative
    /// solvers' inner loops and networks such as VarNet).
    public static func spread(_ image: Tensor, sensitivities: Tensor) -> Tensor {
        sensitivities * image
    }

    /// Throws unless `tensor` is a 4D complex `[batch, coils, H, W]` tensor.
    static func requireCoilImages(_ tensor: Tensor, _ name: String) throws {
        try MRIError.require(tensor.rank == 4, name, "must be [batch, coils, H, W], got shape \(tensor.shape)")
        try MRIError.require(tensor.dtype.isComplex, name, "must be complex, got \(tensor.dtype)")
    }
}
