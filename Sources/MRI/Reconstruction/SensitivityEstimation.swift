import Torch

private extension ATen {
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
    ///   - powerIterations: power iterations for the dominant eigenvectors on a grid of every 4th
    ///     pixel (rounded up to a power of two), which start 3 more at full resolution (0: an exact
    ///     batched `linalg_eigh` instead, several times slower on the CPU).
    /// - Returns: `[batch, coils, H, W]` complex maps.
    /// - Throws: bad shapes or masks, non-finite k-space, no ACS lines, an ACS region smaller than the kernel.
    public static func espirit(
        _ kspace: Tensor, mask: Tensor, acsLines: Int? = nil, calibrationHeight: Int? = nil, kernelSize: [Int] = [6, 6],
        threshold: Double = 0.02, crop: Double = 0.8, powerIterations: Int = 30
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
        let kernels = signalKernels(matrix, threshold: threshold).reshape([-1, coils] + kernelSize)
        let gram = imageSpaceGram(kernels, imageSize: imageSize)
        let (largest, eigenvectors) = dominantEigenpairs(gram, iterations: powerIterations)  // [H, W], [H, W, coils]
        let reference = eigenvectors[.ellipsis, 0..<1]
        let phase = reference.conj() / reference.abs().clamp(min: 1e-30)
        return (eigenvectors * phase * largest.gt(crop).unsqueeze(-1)).permute([2, 0, 1])
    }

    /// The calibration matrix's right singular vectors whose singular values exceed `threshold · σ_max`,
    /// as rows `[kept, columns]`: the eigenvectors of the small Hermitian `MᴴM` (columns², not
    /// windows × columns, as BART's `calmat` does), whose eigenvalues are the squared singular values.
    private static func signalKernels(_ matrix: Tensor, threshold: Double) -> Tensor {
        let eigen = ATen.linalgEigh.tensors(.tensor(matrix.mT.conj().matmul(matrix)))
        let (values, vectors) = (eigen[0], eigen[1])  // ascending
        let kept = Int(values.gt(values.max() * (threshold * threshold)).sum().item(Int64.self))
        return vectors.narrow(dim: 1, start: vectors.size(1) - kept, length: kept).mT.conj()
    }

    /// The largest eigenvalue `[H, W]` and its unit eigenvector `[H, W, coils]` of each pixel's
    /// Hermitian positive semi-definite matrix in `gram` (`[H, W, coils, coils]`), exactly by a batched
    /// `linalg_eigh` when `iterations` is 0, otherwise by power iteration (BART's `ecalib` iterates 30
    /// times per pixel).
    ///
    /// The power iterations run on every `coarseStride`-th pixel in each direction, as repeated squaring
    /// of the matrices (`iterations` rounded up to a power of two; each square rescaled by its norm),
    /// which is few, cheap batched products. The maps are smooth, so the nearest coarse vector is
    /// already close to each pixel's eigenvector, and `refinementIterations` full-resolution steps from
    /// it converge (ESPIRiT's gap between the first eigenvalue ≈ 1 and the rest shrinks the error by
    /// that ratio each step). Those steps are not renormalised in between: the eigenvalues are at most
    /// ≈ 1, so three steps cannot underflow.
    private static func dominantEigenpairs(_ gram: Tensor, iterations: Int) -> (Tensor, Tensor) {
        guard iterations > 0 else {
            let eigen = ATen.linalgEigh.tensors(.tensor(gram))
            return (eigen[0][.ellipsis, -1], eigen[1][.ellipsis, -1])
        }
        let (height, width, coils) = (gram.size(0), gram.size(1), gram.size(2))
        let every = TensorIndex.range(nil, nil, step: coarseStride)
        let coarse = gram[every, every]
        let coarseSize = [coarse.size(0), coarse.size(1)]
        var power = coarse.reshape([-1, coils, coils])
        var steps = 1
        while steps < iterations {
            let square = power.matmul(power)
            power = square / vectorNorm(square.reshape([-1, coils * coils, 1])).clamp(min: 1e-30)
            steps *= 2
        }
        // Every column of the (nearly rank-one) power is along the eigenvector; the longest is the safest.
        let longest = power.abs().square().sum(dim: [1]).argmax(dim: 1).reshape([-1, 1, 1]).expand([-1, coils, 1])
        let column = power.gather(dim: 2, index: longest)
        func nearest(_ count: Int, coarseCount: Int) -> Tensor {
            let index = (0..<count).map { Int64(min(($0 + coarseStride / 2) / coarseStride, coarseCount - 1)) }
            return Tensor(index, shape: [count]).to(device: gram.device)
        }
        var previous = (column / vectorNorm(column).clamp(min: 1e-30)).reshape(coarseSize + [coils, 1])
            .indexSelect(dim: 0, index: nearest(height, coarseCount: coarseSize[0]))
            .indexSelect(dim: 1, index: nearest(width, coarseCount: coarseSize[1]))
            .reshape([-1, coils, 1])
        let matrices = gram.reshape([-1, coils, coils])
        var current = matrices.matmul(previous)
        for _ in 1..<refinementIterations {
            previous = current
            current = matrices.matmul(current)
        }
        let norm = vectorNorm(current)
        let largest = norm / vectorNorm(previous).clamp(min: 1e-30)
        return (largest.reshape([height, width]), (current / norm.clamp(min: 1e-30)).reshape([height, width, coils]))
    }

    /// The norms `[n, 1, 1]` of a batch of complex column vectors `[n, m, 1]` (by `abs`, not
    /// `linalg_vector_norm`, whose complex reduction over a short inner dimension is several times slower).
    private static func vectorNorm(_ vectors: Tensor) -> Tensor {
        vectors.abs().square().sum(dim: [1], keepdim: true).sqrt()
    }

    /// The spacing of the pixels whose eigenvectors start the full-resolution power iterations.
    private static let coarseStride = 4
    /// Full-resolution power iterations after the coarse start: on the benchmark and fixture data three
    /// give maps closer to the exact eigenvectors than 20 iterations from a constant start.
    private static let refinementIterations = 3

    /// Per pixel, `Σ_k a_k a_kᴴ` over the kernels' image-space operators `a_k = ifft2c(pad(kernel_k))`
    /// (the kernels centred in the image grid, sigpy's `resize`), scaled by `H·W / kernel size`
    /// so the eigenvalue is ≈ 1 inside the object: `[kernels, coils, kh, kw]` → `[H, W, coils, coils]`.
    ///
    /// Each entry is a trigonometric polynomial of degree `< kernel size`, so it is formed exactly on a
    /// small `2·kh × 2·kw` grid (BART's `compute_imgcov` grid), taken to k-space, and brought to the full
    /// size by the centred inverse DFT of the zero-padded spectrum, written as two small matrix products
    /// (`[H, 2·kh]` and `[W, 2·kw]` Fourier bases) because only `2·kh × 2·kw` of the padded spectrum is
    /// non-zero; the result comes out pixel-major, as the eigen-solvers want it.
    private static func imageSpaceGram(_ kernels: Tensor, imageSize: [Int]) -> Tensor {
        let coils = kernels.size(1)
        let kernelSize = [kernels.size(2), kernels.size(3)]
        let grid = zip(kernelSize, imageSize).map { min(2 * $0, $1) }
        let small = CenteredFFT.inverse(centred(kernels, in: grid)).permute([2, 3, 1, 0])  // [gh, gw, coils, kernels]
        let spectrum = CenteredFFT.forward(small.matmul(small.mT.conj()), dims: [0, 1])  // [gh, gw, coils, coils]
        let scale = Double(grid[0] * grid[1] * imageSize[0] * imageSize[1]).squareRoot()
            / Double(kernelSize[0] * kernelSize[1])
        let rows = fourierBasis(size: imageSize[0], bandwidth: grid[0], like: spectrum) * scale
        let columns = fourierBasis(size: imageSize[1], bandwidth: grid[1], like: spectrum)
        let alongRows = rows.matmul(spectrum.reshape([grid[0], -1])).reshape([imageSize[0], grid[1], -1])
        return columns.matmul(alongRows).reshape([imageSize[0], imageSize[1], coils, coils])
    }

    /// The centred inverse DFT applied to a spectrum of `bandwidth` centre frequencies zero-padded to
    /// `size`, as a matrix `[size, bandwidth]` (the columns: the transforms of the padded unit vectors).
    private static func fourierBasis(size: Int, bandwidth: Int, like spectrum: Tensor) -> Tensor {
        let identity = Tensor.eye(bandwidth, dtype: spectrum.dtype, device: spectrum.device)
        return CenteredFFT.inverse(centred(identity, in: [size, bandwidth]), dims: [0])
    }

    /// `x` (`[..., h, w]`) zero-padded to `[..., size[0], size[1]]` with its centre `h/2, w/2` at `size / 2`.
    private static func centred(_ x: Tensor, in size: [Int]) -> Tensor {
        let (h, w) = (x.size(-2), x.size(-1))
        let top = size[0] / 2 - h / 2
        let left = size[1] / 2 - w / 2
        return x.pad([left, size[1] - w - left, top, size[0] - h - top])
    }
}
