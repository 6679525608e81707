/// SVD coil compression: projects `coils` physical coils onto the `virtualCoils` dominant
/// left singular vectors of the data matrix `[coils, samples]` (Buehrer et al. 2007; Huang et al. 2008).
///
/// The projection is unitary onto its span, so the compressed data keep exactly the energy
/// `Σ_{i < virtualCoils} σ_i²` of the original `Σ σ_i²`, and per pixel the RSS of the
/// compressed images is at most the original RSS (equal when `virtualCoils == coils`).
public struct CoilCompression {
    /// The compression matrices `Uᴴ` restricted to the virtual coils: complex `[batch, virtualCoils, coils]`.
    public let matrix: Tensor
    /// The singular values of each batch item's data matrix, descending: real `[batch, coils]`.
    public let singularValues: Tensor

    /// Fits the compression to `data`.
    ///
    /// - Parameters:
    ///   - data: complex `[batch, coils, H, W]` k-space or images (e.g. the calibration region).
    ///   - virtualCoils: how many virtual coils to keep, `1 ... coils`.
    /// - Throws: `MRIError` for a non-4D/non-complex input, a bad coil count, or non-finite data.
    public init(fitting data: Tensor, virtualCoils: Int) throws {
        try CoilCombination.requireCoilImages(data, "data")
        let coils = data.shape[1]
        try MRIError.require(
            virtualCoils >= 1 && virtualCoils <= coils, "virtualCoils", "\(virtualCoils) is not in 1...\(coils)")
        try MRIError.require(
            data.isfinite().all().item(Bool.self), "data", "holds NaN or infinite values")
        let samples = data.flatten(startDim: 2)
        let parts = CompressionOps.svd.tensors(.tensor(samples), .bool(false))
        matrix = parts[0][.all, .all, ..<virtualCoils].mT.conj().contiguous()
        singularValues = parts[1]
    }

    /// The compressed data `Uᴴ_V·x`.
    ///
    /// - Parameter data: complex `[batch, coils, …]` with the fitted batch and coil counts.
    /// - Returns: `[batch, virtualCoils, …]`.
    /// - Throws: `MRIError` if the batch or coil count differs from the fit.
    public func callAsFunction(_ data: Tensor) throws -> Tensor {
        let expected = [matrix.shape[0], matrix.shape[2]]
        try MRIError.require(
            data.rank >= 2 && Array(data.shape.prefix(2)) == expected && data.dtype.isComplex, "data",
            "must be complex [\(expected[0]), \(expected[1]), …], got \(data.shape) \(data.dtype)")
        let compressed = matrix.to(dtype: data.dtype).matmul(data.flatten(startDim: 2))
        return compressed.reshape([data.shape[0], matrix.shape[1]] + Array(data.shape.dropFirst(2)))
    }
}

private enum CompressionOps {
    static let svd = ATenOperator("aten::linalg_svd")
}
