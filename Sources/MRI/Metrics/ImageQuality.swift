import Foundation

/// Image-quality metrics for reconstructions, computed exactly as fastMRI's evaluation
/// (`fastmri/evaluate.py`) computes them.
///
/// Inputs are real magnitude images or volumes `[..., H, W]` (e.g. fastMRI's `[slices, H, W]`, or
/// `[batch, channels, H, W]`); every leading dimension counts as a stack of 2D slices. All arithmetic
/// runs in float64 on the inputs' device, so float32 inputs give the float64 reference values.
public enum ImageQuality {
    /// skimage's `structural_similarity` constants and window, as fastMRI uses them.
    static let ssimWindow = 7
    static let ssimK1 = 0.01
    static let ssimK2 = 0.03

    /// Normalised mean squared error `‖target − prediction‖² / ‖target‖²` over the whole tensor
    /// (fastMRI's `nmse`).
    ///
    /// - Parameters:
    ///   - target: the ground truth, any shape.
    ///   - prediction: the reconstruction, the shape of `target`.
    public static func nmse(_ target: Tensor, _ prediction: Tensor) throws -> Double {
        try checkPair(target, prediction, minimumRank: 0, function: "nmse")
        let (reference, estimate) = (target.to(dtype: .float64), prediction.to(dtype: .float64))
        let error = (reference - estimate).square().sum().item(Double.self)
        return error / reference.square().sum().item(Double.self)
    }

    /// Peak signal-to-noise ratio `10 log₁₀(dataRange² / MSE)` in dB (fastMRI's `psnr`, i.e. skimage's
    /// `peak_signal_noise_ratio` with `data_range = target.max()` unless given).
    ///
    /// - Parameters:
    ///   - target: the ground truth, any shape (fastMRI passes a whole volume).
    ///   - prediction: the reconstruction, the shape of `target`.
    ///   - dataRange: the peak value; `nil` takes the maximum of `target`.
    public static func psnr(_ target: Tensor, _ prediction: Tensor, dataRange: Double? = nil) throws -> Double {
        try checkPair(target, prediction, minimumRank: 0, function: "psnr")
        let (reference, estimate) = (target.to(dtype: .float64), prediction.to(dtype: .float64))
        let peak = dataRange ?? reference.max().item(Double.self)
        let meanSquaredError = (reference - estimate).square().mean().item(Double.self)
        return 10 * log10(peak * peak / meanSquaredError)
    }

    /// Mean structural similarity over a stack of slices, as fastMRI's `ssim`: skimage's
    /// `structural_similarity` on each 2D slice (7×7 uniform window, K1 = 0.01, K2 = 0.03, sample
    /// covariance with factor 49/48), the map cropped by the 3-pixel border skimage drops, averaged
    /// per slice, then over slices.
    ///
    /// - Parameters:
    ///   - target: the ground truth `[..., H, W]` with H, W ≥ 7 (fastMRI: `[slices, H, W]`).
    ///   - prediction: the reconstruction, the shape of `target`.
    ///   - dataRange: the dynamic range; `nil` takes the maximum of the whole `target` (fastMRI's
    ///     `maxval`), not a per-slice maximum.
    public static func ssim(_ target: Tensor, _ prediction: Tensor, dataRange: Double? = nil) throws -> Double {
        try checkSSIMInputs(target, prediction, function: "ssim")
        let range = dataRange ?? target.max().to(dtype: .float64).item()
        // Every slice has the same number of map pixels, so the mean of slice means is the mean.
        guard target.device.kind == .cpu else { return ssimMap(target, prediction, dataRange: range).mean().item() }
        let (x, y) = slicePairs(target, prediction)
        let border = ssimWindow - 1
        let pixels = x.size(0) * (x.size(2) - border) * (x.size(3) - border)
        return ssimOnCPU(x, y, SSIMConstants(dataRange: range), keepingMap: false).total / Double(pixels)
    }

    /// Structural similarity averaged over the pixels of a foreground mask.
    ///
    /// Defined here as the mean of skimage's SSIM map (the map `ssim` averages, i.e. without the
    /// 3-pixel border) over the pixels where `mask` is non-zero, pooled over all slices. The mask is
    /// cropped like the map, so foreground within 3 pixels of the image edge does not count.
    ///
    /// - Parameters:
    ///   - target: the ground truth `[..., H, W]` with H, W ≥ 7.
    ///   - prediction: the reconstruction, the shape of `target`.
    ///   - mask: the foreground, the shape of `target` or `[H, W]` (shared by every slice).
    ///   - dataRange: as in `ssim`.
    /// - Returns: the masked mean, or NaN when no mask pixel lies inside the cropped map.
    public static func ssim(
        _ target: Tensor, _ prediction: Tensor, mask: Tensor, dataRange: Double? = nil
    ) throws -> Double {
        try checkSSIMInputs(target, prediction, function: "ssim(mask:)")
        let height = target.size(-2)
        let width = target.size(-1)
        guard mask.shape == target.shape || mask.shape == [height, width] else {
            throw MRIError("mask", "ssim(mask:): shape \(mask.shape) must be \(target.shape) or [\(height), \(width)]")
        }
        let map = ssimMap(target, prediction, dataRange: dataRange ?? target.max().to(dtype: .float64).item())
        let border = (ssimWindow - 1) / 2
        let foreground = (mask.to(device: target.device) .!= 0).to(dtype: .float64)
            .narrow(dim: -2, start: border, length: height - 2 * border)
            .narrow(dim: -1, start: border, length: width - 2 * border)
            .expand(map.shape)
        let count = foreground.sum().item(Double.self)
        guard count > 0 else { return .nan }
        return (map * foreground).sum().item(Double.self) / count
    }

    /// High-frequency error norm `‖LoG(prediction) − LoG(target)‖ / ‖LoG(target)‖` (Ravishankar &
    /// Bresler, IEEE TMI 2011), Frobenius norms over the whole tensor.
    ///
    /// The filter is their Laplacian of Gaussian, MATLAB's `fspecial('log', 15, 1.5)` (15×15, σ = 1.5,
    /// zero-sum), applied to each 2D slice as MATLAB's `imfilter` does by default: zero padding, output
    /// the size of the input.
    ///
    /// - Parameters:
    ///   - target: the ground truth `[..., H, W]`.
    ///   - prediction: the reconstruction, the shape of `target`.
    public static func hfen(_ target: Tensor, _ prediction: Tensor) throws -> Double {
        try checkPair(target, prediction, minimumRank: 2, function: "hfen")
        let reference = laplacianOfGaussian(target)
        let difference = laplacianOfGaussian(prediction) - reference
        return difference.square().sum().item(Double.self).squareRoot()
            / reference.square().sum().item(Double.self).squareRoot()
    }

    // MARK: Implementation

    private static func checkSSIMInputs(_ target: Tensor, _ prediction: Tensor, function: String) throws {
        try checkPair(target, prediction, minimumRank: 2, function: function)
        guard target.size(-2) >= ssimWindow, target.size(-1) >= ssimWindow else {
            throw MRIError("target", "\(function): slices \(target.shape.suffix(2)) are smaller than the 7×7 window")
        }
    }

    /// skimage's SSIM map without its `(win − 1) / 2` border: `[..., H − 6, W − 6]` in float64.
    ///
    /// The interior of `uniform_filter` never reaches the padded border, so valid 7×7 box means give
    /// the same local statistics as skimage's reflect-padded filter there.
    static func ssimMap(_ target: Tensor, _ prediction: Tensor, dataRange: Double) -> Tensor {
        let (x, y) = slicePairs(target, prediction)
        let constants = SSIMConstants(dataRange: dataRange)
        let map = target.device.kind == .cpu
            ? ssimOnCPU(x, y, constants, keepingMap: true).map : ssimMapWithTensors(x, y, constants)
        let border = ssimWindow - 1
        return map.reshape(Array(target.shape.dropLast(2)) + [target.size(-2) - border, target.size(-1) - border])
    }

    /// `[..., H, W]` images as float64 `[N, 1, H, W]` stacks of slices.
    private static func slicePairs(_ target: Tensor, _ prediction: Tensor) -> (Tensor, Tensor) {
        let (height, width) = (target.size(-2), target.size(-1))
        return (target.to(dtype: .float64).reshape([-1, 1, height, width]),
                prediction.to(dtype: .float64).reshape([-1, 1, height, width]))
    }

    /// The map from whole-volume tensor ops (for CUDA): `[N, 1, H, W]` float64 pairs → `[N, H − 6, W − 6]`.
    /// The 7×7 sums are differences of running sums (as scipy's `uniform_filter1d`) along W, then H.
    static func ssimMapWithTensors(_ x: Tensor, _ y: Tensor, _ constants: SSIMConstants) -> Tensor {
        let moments = Tensor.cat([x, y, x * x, y * y, x * y], dim: 1)
        func windowSums(_ values: Tensor, dim: Int) -> Tensor {
            let running = values.pad(dim == -1 ? [1, 0] : [0, 0, 1, 0]).cumsum(dim: dim)
            let count = values.size(dim) - ssimWindow + 1
            return running.narrow(dim: dim, start: ssimWindow, length: count)
                - running.narrow(dim: dim, start: 0, length: count)
        }
        let local = windowSums(windowSums(moments, dim: -1), dim: -2).unbind(dim: 1)
        return constants.ssim(sums: local[0], local[1], local[2], local[3], local[4])
    }

    /// SSIM computed slice by slice in Swift on the CPU, the formula fused into one cache-resident
    /// pass per slice, a few slices at a time: whole-volume float64 tensor passes, and even whole-volume
    /// copies, are memory-bound (about 4× slower than scikit-image on a 30×256² volume).
    ///
    /// - Returns: the sum of the map over all slices, and the map `[N, H − 6, W − 6]` when `keepingMap`
    ///   (else an empty tensor).
    static func ssimOnCPU(
        _ x: Tensor, _ y: Tensor, _ constants: SSIMConstants, keepingMap: Bool
    ) -> (total: Double, map: Tensor) {
        let (slices, height, width) = (x.size(0), x.size(2), x.size(3))
        let (outHeight, outWidth) = (height - ssimWindow + 1, width - ssimWindow + 1)
        let chunk = max(1, cacheFriendlyPixels / (height * width))
        var total = 0.0
        var maps: [Tensor] = []
        for start in stride(from: 0, to: slices, by: chunk) {
            let count = min(chunk, slices - start)
            let first = x.narrow(dim: 0, start: start, length: count).contiguous().toArray(of: Double.self)
            let second = y.narrow(dim: 0, start: start, length: count).contiguous().toArray(of: Double.self)
            var map = [Double](repeating: 0, count: keepingMap ? count * outHeight * outWidth : 0)
            var sums = [Double](repeating: 0, count: count)
            first.withUnsafeBufferPointer { xs in
                second.withUnsafeBufferPointer { ys in
                    map.withUnsafeMutableBufferPointer { out in
                        sums.withUnsafeMutableBufferPointer { sums in
                            guard let x = xs.baseAddress, let y = ys.baseAddress, let sums = sums.baseAddress
                            else { return }
                            let shared = SlicePointers(
                                x: x, y: y, map: keepingMap ? out.baseAddress : nil, sums: sums)
                            DispatchQueue.concurrentPerform(iterations: count) { index in
                                var kernel = SSIMSliceKernel(height: height, width: width)
                                shared.sums[index] = kernel.run(
                                    x: shared.x + index * height * width, y: shared.y + index * height * width,
                                    constants: constants, map: shared.map.map { $0 + index * outHeight * outWidth })
                            }
                        }
                    }
                }
            }
            total += sums.reduce(0, +)
            if keepingMap { maps.append(Tensor(map, shape: [count, outHeight, outWidth])) }
        }
        return (total, keepingMap ? Tensor.cat(maps) : Tensor.zeros([0], dtype: .float64))
    }

    /// Pixels per chunk of slices in the CPU SSIM: the chunk's float64 copies stay small enough for the
    /// allocator to reuse (no page faults) and for the cache.
    private static let cacheFriendlyPixels = 1 << 17

    /// The HFEN filter on each slice of `image` (`[..., H, W]` → same shape, float64).
    private static func laplacianOfGaussian(_ image: Tensor) -> Tensor {
        let height = image.size(-2)
        let width = image.size(-1)
        let kernel = Tensor(logKernel, shape: [1, 1, logSize, logSize]).to(device: image.device)
        let slices = image.to(dtype: .float64).reshape([-1, 1, height, width])
        let padding = logSize / 2
        return Functional.conv2d(slices, weight: kernel, padding: [padding, padding]).reshape(image.shape)
    }

    private static let logSize = 15
    private static let logSigma = 1.5

    /// `fspecial('log', 15, 1.5)`: a normalised Gaussian times `(r² − 2σ²) / σ⁴`, shifted to sum to zero.
    private static let logKernel: [Double] = {
        let half = logSize / 2
        let variance = logSigma * logSigma
        let radii = (0..<(logSize * logSize)).map { index -> Double in
            let (row, column) = (Double(index / logSize - half), Double(index % logSize - half))
            return row * row + column * column
        }
        // MATLAB also zeroes values below eps · max, which none reach at radius ≤ 7√2 for σ = 1.5.
        let gaussian = radii.map { exp(-$0 / (2 * variance)) }
        let total = gaussian.reduce(0, +)
        let shaped = zip(gaussian, radii).map { ($0 / total) * ($1 - 2 * variance) / (variance * variance) }
        let offset = shaped.reduce(0, +) / Double(shaped.count)
        return shaped.map { $0 - offset }
    }()
}
