import Torch

/// Compressed-sensing SENSE: `argmin_x ½‖A x − y‖² + λ R(x)` with `A = M · F · S` (see ``CGSENSE``),
/// the problem BART's `pics -l1 -r λ -w 1` (L1-wavelet) and `pics -R T:3:0:λ -w 1` (total variation) solve.
public enum CompressedSensing {
    /// The regulariser `R`.
    public enum Regularizer: Sendable {
        /// `‖Ψ x‖₁` with `Ψ` the orthonormal 2D Haar wavelet (Daubechies-1), `levels` levels, the
        /// coarsest approximation band left unpenalised. Solved by FISTA (Beck & Teboulle 2009);
        /// the proximal step soft-thresholds the complex wavelet coefficients by their modulus.
        /// BART uses Daubechies-2 with random shifts instead, so results are close, not equal.
        ///
        /// `nil` levels: BART's `pics` rule, which keeps decomposing while the approximation band is
        /// at least 16 pixels (2 levels on 48², 5 on 256²); here also while both sizes stay even. The
        /// level count matters: each level beyond BART's also penalises the coarse structures that BART
        /// leaves in its unpenalised approximation band (on 48², a third level misses BART's NRMSE by >1%).
        case l1Wavelet(levels: Int? = nil)
        /// Isotropic total variation `Σ_pixels sqrt(|x_p − x_{p−row}|² + |x_p − x_{p−column}|²)` with
        /// periodic (wrap-around) differences: BART's `-R T:3:0:λ` operator (`linop_grad_create`,
        /// `md_zfdiff`) and its joint threshold over the two directions. Solved by the Condat–Vũ
        /// primal-dual method, which needs far fewer iterations than BART's ADMM for the same minimiser.
        case totalVariation
    }

    /// Reconstructs `[batch, H, W]` complex images from undersampled multi-coil k-space.
    ///
    /// - Parameters:
    ///   - kspace: `[batch, coils, H, W]` complex, zeros where not sampled.
    ///   - mask: the sampling mask, broadcastable to `kspace` (last dimension `W`).
    ///   - sensitivities: `[batch, coils, H, W]` complex coil maps.
    ///   - regularizer: the penalty `R`.
    ///   - lambda: its weight `λ ≥ 0`, in the units of the data (no scaling, as BART's `-w 1`).
    ///   - iterations: solver iterations.
    /// - Returns: `[batch, H, W]` complex.
    /// - Throws: bad shapes, a mask of the wrong width, non-finite k-space, a negative `lambda`, an
    ///   image size the wavelet levels do not divide.
    public static func reconstruct(
        _ kspace: Tensor, mask: Tensor, sensitivities: Tensor, regularizer: Regularizer = .l1Wavelet(),
        lambda: Double, iterations: Int = 100
    ) throws -> Tensor {
        let encoding = try senseEncoding(
            kspace, mask: mask, sensitivities: sensitivities, lambda: lambda, iterations: iterations)
        let adjointData = encoding.adjoint(kspace)
        let lipschitz = largestEigenvalue(of: encoding, like: adjointData)
        switch regularizer {
        case .l1Wavelet(let requestedLevels):
            let levels = requestedLevels ?? HaarWavelet.bartLevels(size: [kspace.size(2), kspace.size(3)])
            let divisor = 1 << max(levels, 0)
            guard levels >= 1, kspace.size(2) % divisor == 0, kspace.size(3) % divisor == 0 else {
                throw MRIError(
                    "levels", "\(levels) Haar levels need an image size divisible by \(divisor), got \(kspace.size(2))×\(kspace.size(3))")
            }
            return fista(encoding, adjointData: adjointData, lipschitz: lipschitz, threshold: lambda / lipschitz,
                         levels: levels, iterations: iterations)
        case .totalVariation:
            return primalDualTV(encoding, adjointData: adjointData, lipschitz: lipschitz, lambda: lambda,
                                iterations: iterations)
        }
    }

    /// The largest eigenvalue of `AᴴA` (the gradient's Lipschitz constant), by power iteration;
    /// 1 % above the estimate so the step stays safe.
    private static func largestEigenvalue(of encoding: SENSEOperator, like image: Tensor) -> Double {
        var x = Tensor.ones(like: image)
        var value = 1.0
        for _ in 0..<20 {
            let y = encoding.normal(x)
            value = y.abs().square().sum().sqrt().item(Double.self) / x.abs().square().sum().sqrt().item(Double.self)
            x = y
        }
        return max(value, 1e-12) * 1.01
    }

    private static func fista(
        _ encoding: SENSEOperator, adjointData: Tensor, lipschitz: Double, threshold: Double, levels: Int, iterations: Int
    ) -> Tensor {
        let size = [adjointData.size(1), adjointData.size(2)]
        let penalised = HaarWavelet.detailMask(size: size, levels: levels, device: adjointData.device)
        var x = Tensor.zeros(like: adjointData)
        var z = x
        var t = 1.0
        let period = 1 << levels
        for iteration in 0..<iterations {
            let gradientStep = z - (encoding.normal(z) - adjointData) / lipschitz
            // Cycle spinning (BART's random wavelet shifts, here a fixed sequence): a shifted grid each
            // iteration keeps the block edges of a single Haar grid out of the result.
            let shift = [(iteration * 3) % period, (iteration * 5) % period]
            let coefficients = HaarWavelet.forward(gradientStep.roll(shifts: shift, dims: [1, 2]), levels: levels)
            let magnitude = coefficients.abs()
            let shrink = (1 - threshold / magnitude.clamp(min: 1e-30)).clamp(min: 0) * penalised + (1 - penalised)
            let next = HaarWavelet.inverse(coefficients * shrink, levels: levels)
                .roll(shifts: shift.map { -$0 }, dims: [1, 2])
            let tNext = (1 + (1 + 4 * t * t).squareRoot()) / 2
            z = next + (next - x) * ((t - 1) / tNext)
            x = next
            t = tNext
        }
        return x
    }

    private static func primalDualTV(
        _ encoding: SENSEOperator, adjointData: Tensor, lipschitz: Double, lambda: Double, iterations: Int
    ) -> Tensor {
        // Condat–Vũ converges when 1/τ − σ‖∇‖² ≥ L/2; ‖∇‖² ≤ 8 for the periodic differences.
        let tau = 1 / lipschitz
        let sigma = lipschitz / 16
        var x = Tensor.zeros(like: adjointData)
        var dual = gradient(x)
        for _ in 0..<iterations {
            let next = x - (encoding.normal(x) - adjointData + divergenceAdjoint(dual)) * tau
            let ascent = dual + gradient(next * 2 - x) * sigma
            let norm = ascent.abs().square().sum(dim: 0, keepdim: true).sqrt()
            dual = ascent / (norm / lambda).clamp(min: 1)
            x = next
        }
        return x
    }

    /// Periodic backward differences `[batch, H, W]` → `[2, batch, H, W]` (rows, columns), as BART's
    /// `md_zfdiff`: `x_p − x_{p−1}`, the first row (column) differenced with the last.
    private static func gradient(_ x: Tensor) -> Tensor {
        Tensor.stack([x - x.roll(shifts: [1], dims: [1]), x - x.roll(shifts: [1], dims: [2])], dim: 0)
    }

    /// `∇ᴴ` of ``gradient(_:)``: `[2, batch, H, W]` → `[batch, H, W]`.
    private static func divergenceAdjoint(_ g: Tensor) -> Tensor {
        let rows = g[0]
        let columns = g[1]
        return (rows - rows.roll(shifts: [-1], dims: [1])) + (columns - columns.roll(shifts: [-1], dims: [2]))
    }
}

/// The orthonormal 2D Haar wavelet transform over the last two dimensions, in Mallat's layout
/// (each level's approximation in the top-left quarter, its row/column/diagonal details around it),
/// computed with reshapes: each level pairs neighbouring rows, then columns, into `(a ± b) / √2`.
enum HaarWavelet {
    /// `[..., H, W]` → coefficients `[..., H, W]`; `H` and `W` divisible by `2^levels`.
    static func forward(_ x: Tensor, levels: Int) -> Tensor {
        guard levels > 0 else { return x }
        let step = pairs(pairs(x, dim: -2), dim: -1)
        let (halfHeight, halfWidth) = (x.size(-2) / 2, x.size(-1) / 2)
        let approximation = forward(step[.ellipsis, 0..<halfHeight, 0..<halfWidth], levels: levels - 1)
        let top = Tensor.cat([approximation, step[.ellipsis, 0..<halfHeight, halfWidth...]], dim: -1)
        return Tensor.cat([top, step[.ellipsis, halfHeight..., .all]], dim: -2)
    }

    /// The inverse of ``forward(_:levels:)``.
    static func inverse(_ c: Tensor, levels: Int) -> Tensor {
        guard levels > 0 else { return c }
        let (halfHeight, halfWidth) = (c.size(-2) / 2, c.size(-1) / 2)
        let approximation = inverse(c[.ellipsis, 0..<halfHeight, 0..<halfWidth], levels: levels - 1)
        let top = Tensor.cat([approximation, c[.ellipsis, 0..<halfHeight, halfWidth...]], dim: -1)
        let restored = Tensor.cat([top, c[.ellipsis, halfHeight..., .all]], dim: -2)
        return unpairs(unpairs(restored, dim: -1), dim: -2)
    }

    /// BART's level count for an image of `size` (see ``CompressedSensing/Regularizer/l1Wavelet(levels:)``):
    /// one level per halving while the smaller side is at least 16 pixels and both sides are even, at
    /// least one.
    static func bartLevels(size: [Int]) -> Int {
        var (height, width, levels) = (size[0], size[1], 0)
        while min(height, width) >= 16, height % 2 == 0, width % 2 == 0 {
            (height, width, levels) = (height / 2, width / 2, levels + 1)
        }
        return max(levels, 1)
    }

    /// 1 on detail coefficients, 0 on the coarsest approximation (left unpenalised), `[H, W]`.
    static func detailMask(size: [Int], levels: Int, device: Device) -> Tensor {
        let mask = Tensor.ones(size, device: device)
        mask.fill_(0, at: 0..<(size[0] >> levels), 0..<(size[1] >> levels))
        return mask
    }

    /// Sums and differences of neighbouring pairs along `dim` (negative: -2 or -1): `[lo; hi]` along `dim`.
    private static func pairs(_ x: Tensor, dim: Int) -> Tensor {
        let n = x.size(dim)
        let grouped = x.unflatten(dim: dim, sizes: [n / 2, 2])
        let even = grouped.narrow(dim: dim, start: 0, length: 1).squeeze(dim: dim)
        let odd = grouped.narrow(dim: dim, start: 1, length: 1).squeeze(dim: dim)
        return Tensor.cat([(even + odd) / 2.0.squareRoot(), (even - odd) / 2.0.squareRoot()], dim: dim)
    }

    /// The inverse of ``pairs(_:dim:)`` (`dim` negative).
    private static func unpairs(_ x: Tensor, dim: Int) -> Tensor {
        let n = x.size(dim)
        let low = x.narrow(dim: dim, start: 0, length: n / 2)
        let high = x.narrow(dim: dim, start: n / 2, length: n / 2)
        let even = (low + high) / 2.0.squareRoot()
        let odd = (low - high) / 2.0.squareRoot()
        return Tensor.stack([even, odd], dim: dim).flatten(startDim: dim - 1, endDim: dim)
    }
}
