import Torch

private extension ATen {
    static let linalgSVD = ATenOperator("aten::linalg_svd")
    static let linalgEigh = ATenOperator("aten::linalg_eigh")
}

/// Coil sensitivity maps estimated from the fully sampled k-space centre (ACS).
public enum SensitivityEstimation {
    /// The low-resolution estimate: the coil images of the ACS columns alone (all other columns
    /// zero, no window) divided by their root-sum-of-squares, so `Σ_c |S_c|² = 1` wherever the
    /// low-resolution image is non-zero.
    ///
    /// - Parameters:
    ///   - kspace: `[batch, coils, H, W]` complex.
    ///   - mask: the sampling mask, last dimension `W` (finds the ACS columns when `acsLines` is `nil`).
    ///   - acsLines: the number of centre ACS columns.
    /// - Returns: `[batch, coils, H, W]` complex maps.
    /// - Throws: bad shapes, a mask of the wrong width, non-finite k-space or no ACS lines.
    public static func lowResolution(_ kspace: Tensor, mask: Tensor, acsLines: Int? = nil) throws -> Tensor {
        try validateKSpace(kspace)
        try validateMask(mask, for: kspace)
        let lines = try acsLines ?? Calibration.acsLineCount(mask: mask)
        let calibration = try Calibration.acsRegion(kspace, lines: lines)
        let width = kspace.size(-1)
        let start = (width - lines + 1) / 2
        let lowPass = calibration.pad([start, width - lines - start, 0, 0])
        let images = CenteredFFT.inverse(lowPass)
        let magnitude = CoilCombination.rootSumOfSquares(images, dim: 1).unsqueeze(1)
        // Dividing by a floor, not by zero, leaves zero maps where there is no signal at all.
        return images / magnitude.clamp(min: magnitude.amax(dim: [1, 2, 3], keepdim: true) * 1e-12)
    }

    /// ESPIRiT maps (Uecker et al., MRM 2014), one set per slice, like BART's `ecalib -m1` and
    /// sigpy's `EspiritCalib`.
    ///
    /// The calibration matrix holds every `kernelSize` window of the ACS region (rows: windows;
    /// columns: coils × kernel offsets). Its right singular vectors with singular values above
    /// `threshold · σ_max` span the signal subspace; as image-space operators (zero-padded to the
    /// image size, centred inverse FFT) they give, per pixel, a coils × coils matrix whose
    /// eigenvector of the largest eigenvalue is the sensitivity vector. Pixels whose largest
    /// eigenvalue (≈ 1 inside the object) is at most `crop` are set to zero. The eigenvectors'
    /// per-pixel phase is fixed by making coil 0 real and non-negative (sigpy's convention;
    /// BART rotates to its first principal component instead, so the maps agree up to a
    /// per-pixel phase).
    ///
    /// - Parameters:
    ///   - kspace: `[batch, coils, H, W]` complex.
    ///   - mask: the sampling mask, last dimension `W`.
    ///   - acsLines: the number of centre ACS columns; `nil` finds them from `mask`.
    ///   - calibrationHeight: the number of centre rows of the ACS region to use (`nil`: all;
    ///     BART's `-r` limits both dimensions, to 24 by default).
    ///   - kernelSize: `[rows, columns]` of the calibration kernel (BART `-k`, default 6×6).
    ///   - threshold: the relative singular value threshold (sigpy's `thresh`).
    ///   - crop: the eigenvalue threshold (BART `-c`, default 0.8).
    ///   - powerIterations: power iterations for each pixel's dominant eigenvector (0:
    ///     an exact batched `linalg_eigh` instead, slower on the CPU for many pixels).
    /// - Returns: `[batch, coils, H, W]` complex maps.
    /// - Throws: bad shapes or masks, non-finite k-space, no ACS lines, an ACS region smaller than the kernel.
    public static func espirit(
        _ kspace: Tensor, mask: Tensor, acsLines: Int? = nil, calibrationHeight: Int? = nil, kernelSize: [Int] = [6, 6],
        threshold: Double = 0.02, crop: Double = 0.8, powerIterations: Int = 20
    ) throws -> Tensor {
        try validateKSpace(kspace)
        try validateMask(mask, for: kspace)
        var calibration = try Calibration.acsRegion(kspace, lines: acsLines ?? Calibration.acsLineCount(mask: mask))
        let height = kspace.size(2)
        if let calibrationHeight, calibrationHeight < height {
            calibration = calibration.narrow(dim: 2, start: (height - calibrationHeight + 1) / 2, length: max(calibrationHeight, 0))
        }
        guard kernelSize.count == 2, calibration.size(2) >= kernelSize[0], calibration.size(3) >= kernelSize[1] else {
            throw MRIError(
                "ACS lines", "the \(calibration.size(2))×\(calibration.size(3)) calibration region is smaller than the kernel \(kernelSize)")
        }
        let coils = kspace.size(1)
        let matrix = Calibration.windows(calibration, kernel: kernelSize)
            .reshape([kspace.size(0), -1, coils * kernelSize[0] * kernelSize[1]])
        let maps = matrix.unbind(dim: 0).map { slice in
            mapsForSlice(slice, coils: coils, imageSize: [height, kspace.size(3)], kernelSize: kernelSize,
                         threshold: threshold, crop: crop, powerIterations: powerIterations)
        }
        return Tensor.stack(maps, dim: 0)
    }

    /// One slice's maps `[coils, H, W]` from its calibration matrix `[windows, coils · kernel]`.
    private static func mapsForSlice(
        _ matrix: Tensor, coils: Int, imageSize: [Int], kernelSize: [Int], threshold: Double, crop: Double,
        powerIterations: Int
    ) -> Tensor {
        let svd = ATen.linalgSVD.tensors(.tensor(matrix), .bool(false))
        let (singularValues, vh) = (svd[1], svd[2])
        let kept = singularValues.gt(singularValues.max() * threshold).sum().item(Int64.self)
        let kernels = vh.narrow(dim: 0, start: 0, length: Int(kept)).reshape([-1, coils] + kernelSize)
        let gram = imageSpaceGram(kernels, imageSize: imageSize)
        let (largest, eigenvectors) = dominantEigenpairs(gram, iterations: powerIterations)  // [H, W], [coils, H, W]
        let reference = eigenvectors[0..<1]
        let vectors = eigenvectors * (reference.conj() / reference.abs().clamp(min: 1e-30))
        return vectors * largest.gt(crop)
    }

    /// The largest eigenvalue `[H, W]` and its unit eigenvector `[coils, H, W]` of each pixel's
    /// Hermitian positive semi-definite matrix in `gram` (`[coils, coils, H, W]`): by power iteration
    /// (sigpy's approach; ESPIRiT's gap between the first eigenvalue ≈ 1 and the rest makes it
    /// converge fast), with the pixels contiguous so each step is one batched product; or
    /// exactly by a batched `linalg_eigh` when `iterations` is 0.
    private static func dominantEigenpairs(_ gram: Tensor, iterations: Int) -> (Tensor, Tensor) {
        guard iterations > 0 else {
            let eigen = ATen.linalgEigh.tensors(.tensor(gram.permute([2, 3, 0, 1])))
            return (eigen[0][.all, .all, -1], eigen[1][.all, .all, .all, -1].permute([2, 0, 1]))
        }
        var vector = Tensor.ones(Array(gram.shape.dropFirst()), dtype: gram.dtype, device: gram.device)
        var norm = vector.abs().square().sum(dim: 0).sqrt()
        for _ in 0..<iterations {
            vector = Tensor.einsum("ijhw,jhw->ihw", gram, vector / norm)
            norm = vector.abs().square().sum(dim: 0).sqrt()
        }
        return (norm, vector / norm.clamp(min: 1e-30))
    }

    /// Per pixel, `Σ_k a_k a_kᴴ` over the kernels' image-space operators `a_k = ifft2c(pad(kernel_k))`
    /// (the kernels centred in the image grid, sigpy's `resize`), scaled by `H·W / kernel size`
    /// so the eigenvalue is ≈ 1 inside the object: `[kernels, coils, kh, kw]` → `[coils, coils, H, W]`.
    ///
    /// Each entry is a trigonometric polynomial of degree `< kernel size`, so it is formed on a small
    /// `2·kh × 2·kw` grid (no aliasing), taken to k-space, zero-padded and brought back at full size:
    /// `coils²` image FFTs instead of `kernels · coils`.
    private static func imageSpaceGram(_ kernels: Tensor, imageSize: [Int]) -> Tensor {
        let kernelSize = [kernels.size(2), kernels.size(3)]
        let grid = kernelSize.map { 2 * $0 }
        let scale = Double(imageSize[0] * imageSize[1]) / Double(kernelSize[0] * kernelSize[1])
        guard imageSize[0] >= grid[0], imageSize[1] >= grid[1] else {
            let operators = CenteredFFT.inverse(centred(kernels, in: imageSize)).permute([2, 3, 1, 0])
            return (operators.matmul(operators.mT.conj()) * scale).permute([2, 3, 0, 1])
        }
        let small = CenteredFFT.inverse(centred(kernels, in: grid)).permute([2, 3, 1, 0])  // [gh, gw, coils, kernels]
        let smallGram = small.matmul(small.mT.conj()).permute([2, 3, 0, 1])  // [coils, coils, gh, gw]
        let spectrum = CenteredFFT.forward(smallGram) * Double(grid[0] * grid[1]).squareRoot()
        let gram = CenteredFFT.inverse(centred(spectrum, in: imageSize))
            * (scale / Double(imageSize[0] * imageSize[1]).squareRoot())
        return gram.contiguous()
    }

    /// `x` (`[..., h, w]`) zero-padded to `[..., size[0], size[1]]` with its centre `h/2, w/2` at `size / 2`.
    private static func centred(_ x: Tensor, in size: [Int]) -> Tensor {
        let (h, w) = (x.size(-2), x.size(-1))
        let top = size[0] / 2 - h / 2
        let left = size[1] / 2 - w / 2
        return x.pad([left, size[1] - w - left, top, size[0] - h - top])
    }
}
