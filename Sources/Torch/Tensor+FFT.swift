import CTorch

extension ATen {
    static let fftFFT = ATenOperator("aten::fft_fft")
    static let fftIFFT = ATenOperator("aten::fft_ifft")
    static let fftFFT2 = ATenOperator("aten::fft_fft2")
    static let fftIFFT2 = ATenOperator("aten::fft_ifft2")
    static let fftFFTN = ATenOperator("aten::fft_fftn")
    static let fftIFFTN = ATenOperator("aten::fft_ifftn")
    static let fftRFFT = ATenOperator("aten::fft_rfft")
    static let fftIRFFT = ATenOperator("aten::fft_irfft")
    static let fftShift = ATenOperator("aten::fft_fftshift")
    static let fftIShift = ATenOperator("aten::fft_ifftshift")
}

/// Which direction of an FFT pair is scaled (PyTorch's `norm`).
public enum FFTNormalization: String, Sendable {
    /// The forward transform is unscaled, the inverse divides by `n` (PyTorch's default).
    case backward
    /// Both directions divide by `√n`, so the transform is unitary.
    case ortho
    /// The forward transform divides by `n`, the inverse is unscaled.
    case forward
}

/// Discrete Fourier transforms (`torch.fft`). Real input is treated as complex with zero
/// imaginary part (except by `irfft`, which takes the half spectrum `rfft` returns).
///
/// `n`/`s` pad with zeros or trim the input along the transformed dimensions first;
/// `nil` keeps the input's size. Negative dimensions count from the end.
public enum FFT {
    /// The 1-D FFT along `dim` (`torch.fft.fft`): complex, size `n` along `dim`.
    public static func fft(
        _ input: Tensor, n: Int? = nil, dim: Int = -1, norm: FFTNormalization = .backward
    ) -> Tensor {
        ATen.fftFFT(.tensor(input), .optionalInt(n), .int(dim), .string(norm.rawValue))
    }

    /// The 1-D inverse FFT along `dim` (`torch.fft.ifft`).
    public static func ifft(
        _ input: Tensor, n: Int? = nil, dim: Int = -1, norm: FFTNormalization = .backward
    ) -> Tensor {
        ATen.fftIFFT(.tensor(input), .optionalInt(n), .int(dim), .string(norm.rawValue))
    }

    /// The 2-D FFT over `dim` (the last two by default) (`torch.fft.fft2`), e.g. image → k-space.
    public static func fft2(
        _ input: Tensor, s: [Int]? = nil, dim: [Int] = [-2, -1], norm: FFTNormalization = .backward
    ) -> Tensor {
        ATen.fftFFT2(.tensor(input), .dims(s), .ints(dim), .string(norm.rawValue))
    }

    /// The 2-D inverse FFT over `dim` (`torch.fft.ifft2`), e.g. k-space → image.
    public static func ifft2(
        _ input: Tensor, s: [Int]? = nil, dim: [Int] = [-2, -1], norm: FFTNormalization = .backward
    ) -> Tensor {
        ATen.fftIFFT2(.tensor(input), .dims(s), .ints(dim), .string(norm.rawValue))
    }

    /// The N-D FFT over `dim` (all dimensions when `nil`, or the last `s.count` when `s` is given)
    /// (`torch.fft.fftn`).
    public static func fftn(
        _ input: Tensor, s: [Int]? = nil, dim: [Int]? = nil, norm: FFTNormalization = .backward
    ) -> Tensor {
        ATen.fftFFTN(.tensor(input), .dims(s), .dims(dim), .string(norm.rawValue))
    }

    /// The N-D inverse FFT over `dim` (`torch.fft.ifftn`).
    public static func ifftn(
        _ input: Tensor, s: [Int]? = nil, dim: [Int]? = nil, norm: FFTNormalization = .backward
    ) -> Tensor {
        ATen.fftIFFTN(.tensor(input), .dims(s), .dims(dim), .string(norm.rawValue))
    }

    /// The FFT of a real signal along `dim`, keeping the `n/2 + 1` non-redundant frequencies
    /// (`torch.fft.rfft`).
    public static func rfft(
        _ input: Tensor, n: Int? = nil, dim: Int = -1, norm: FFTNormalization = .backward
    ) -> Tensor {
        ATen.fftRFFT(.tensor(input), .optionalInt(n), .int(dim), .string(norm.rawValue))
    }

    /// The inverse of `rfft`: a real signal of length `n` (default `2·(m - 1)` for `m` input
    /// frequencies) along `dim` (`torch.fft.irfft`).
    public static func irfft(
        _ input: Tensor, n: Int? = nil, dim: Int = -1, norm: FFTNormalization = .backward
    ) -> Tensor {
        ATen.fftIRFFT(.tensor(input), .optionalInt(n), .int(dim), .string(norm.rawValue))
    }

    /// Rolls the zero frequency to the centre of `dim` (all dimensions when `nil`)
    /// (`torch.fft.fftshift`).
    public static func fftshift(_ input: Tensor, dim: [Int]? = nil) -> Tensor {
        ATen.fftShift(.tensor(input), .dims(dim))
    }

    /// Undoes `fftshift` (they differ for odd sizes) (`torch.fft.ifftshift`).
    public static func ifftshift(_ input: Tensor, dim: [Int]? = nil) -> Tensor {
        ATen.fftIShift(.tensor(input), .dims(dim))
    }
}
