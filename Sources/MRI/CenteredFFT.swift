import Torch

/// Centred, orthonormal Fourier transforms between image space and k-space.
///
/// "Centred" means the zero frequency and the image centre both sit at index `n / 2`:
/// the data is `ifftshift`ed, transformed with `norm: .ortho`, and `fftshift`ed back. The
/// 2D forms equal fastMRI's `fft2c`/`ifft2c` (on native complex tensors rather than a
/// trailing dimension of 2) and BART's `fft -u`.
public enum CenteredFFT {
    /// The centred, orthonormal FFT over `dims` (image → k-space).
    ///
    /// - Parameters:
    ///   - image: a complex tensor, e.g. `[batch, coils, H, W]` or `[batch, coils, D, H, W]`.
    ///   - dims: the dimensions to transform (default: the last two).
    /// - Returns: k-space with the shape of `image`.
    public static func forward(_ image: Tensor, dims: [Int] = [-2, -1]) -> Tensor {
        let shifted = FFT.ifftshift(image, dim: dims)
        return FFT.fftshift(FFT.fftn(shifted, dim: dims, norm: .ortho), dim: dims)
    }

    /// The centred, orthonormal inverse FFT over `dims` (k-space → image).
    ///
    /// - Parameters:
    ///   - kspace: a complex tensor, e.g. `[batch, coils, H, W]`.
    ///   - dims: the dimensions to transform (default: the last two).
    /// - Returns: the image with the shape of `kspace`.
    public static func inverse(_ kspace: Tensor, dims: [Int] = [-2, -1]) -> Tensor {
        let shifted = FFT.ifftshift(kspace, dim: dims)
        return FFT.fftshift(FFT.ifftn(shifted, dim: dims, norm: .ortho), dim: dims)
    }
}
