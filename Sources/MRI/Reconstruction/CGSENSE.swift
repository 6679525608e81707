import Torch

/// SENSE by conjugate gradients (Pruessmann et al., MRM 2001): solves the Tikhonov-regularised
/// normal equations `(AᴴA + λI) x = Aᴴy` with `A = M · F · S` (coil sensitivities `S`, centred
/// orthonormal FFT `F`, sampling mask `M`), the same solution BART's `pics -l2 -r λ` targets
/// (with `-w 1`, i.e. no data scaling).
public enum CGSENSE {
    /// A reconstruction and how the solver got there.
    public struct Result {
        /// The image, `[batch, H, W]` complex.
        public let image: Tensor
        /// `‖(AᴴA + λI) x_k − Aᴴy‖` after each iteration `k` (index 0: the start `x = 0`), `[iterations + 1, batch]`.
        public let residualNorms: Tensor
    }

    /// Reconstructs the images that the undersampled `kspace` was acquired from.
    ///
    /// - Parameters:
    ///   - kspace: `[batch, coils, H, W]` complex, zeros where not sampled.
    ///   - mask: the sampling mask, broadcastable to `kspace` (last dimension `W`).
    ///   - sensitivities: `[batch, coils, H, W]` complex coil maps.
    ///   - lambda: the Tikhonov weight `λ ≥ 0`.
    ///   - iterations: the number of CG iterations.
    ///   - tolerance: stop early once every slice's residual is below `tolerance` times its initial
    ///     residual (0: always run `iterations`; checking costs a device synchronisation per iteration).
    /// - Throws: bad shapes, a mask of the wrong width, non-finite k-space, a negative `lambda`.
    public static func reconstruct(
        _ kspace: Tensor, mask: Tensor, sensitivities: Tensor, lambda: Double = 0.01, iterations: Int = 10,
        tolerance: Double = 0
    ) throws -> Result {
        let encoding = try senseEncoding(
            kspace, mask: mask, sensitivities: sensitivities, lambda: lambda, iterations: iterations)
        let rhs = encoding.adjoint(kspace * encoding.mask)
        let x = Tensor.zeros(like: rhs)
        let r = rhs.clone()
        let p = rhs.clone()
        var rr = squaredNorm(r)
        let initial = rr.sqrt()
        var norms = [initial]
        for _ in 0..<iterations {
            let q = encoding.normal(p) + p * lambda
            let alpha = rr / (p.conj() * q).real.sum(dim: [1, 2], keepdim: true)
            x.add_(p * alpha)
            r.sub_(q * alpha)
            let rrNext = squaredNorm(r)
            let beta = rrNext / rr
            p.mul_(beta).add_(r)
            rr = rrNext
            norms.append(rr.sqrt())
            if tolerance > 0, (rr.sqrt() .<= initial * tolerance).all().item(Bool.self) { break }
        }
        return Result(image: x, residualNorms: Tensor.stack(norms.map { $0.reshape([-1]) }, dim: 0))
    }

    /// `Σ |x|²` per slice, `[batch, H, W]` → `[batch, 1, 1]`.
    private static func squaredNorm(_ x: Tensor) -> Tensor {
        (x.conj() * x).real.sum(dim: [1, 2], keepdim: true)
    }
}

/// The SENSE encoding `A = M · F · S` and its adjoint, shared by CG-SENSE and compressed sensing.
struct SENSEOperator {
    let mask: Tensor
    let sensitivities: Tensor

    /// `[batch, H, W]` image → `[batch, coils, H, W]` masked k-space.
    func forward(_ image: Tensor) -> Tensor {
        CenteredFFT.forward(CoilCombination.spread(image.unsqueeze(1), sensitivities: sensitivities)) * mask
    }

    /// `[batch, coils, H, W]` k-space → `[batch, H, W]` image (`Aᴴ`, the mask applied again).
    func adjoint(_ kspace: Tensor) -> Tensor {
        CoilCombination.reduce(CenteredFFT.inverse(kspace * mask), sensitivities: sensitivities).squeeze(dim: 1)
    }

    /// `AᴴA x`.
    func normal(_ image: Tensor) -> Tensor { adjoint(forward(image)) }
}
