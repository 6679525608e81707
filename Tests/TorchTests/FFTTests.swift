import Testing

@testable import Torch
import TorchTestSupport

@Suite("FFT")
struct FFTTests {
    let fixture: Fixture
    let signal, realSignal, volume: Tensor

    init() throws {
        fixture = try Fixture("math")
        (signal, realSignal, volume) = (
            fixture.tensor("in_signal"), fixture.tensor("in_real_signal"), fixture.tensor("in_volume")
        )
    }

    /// pocketfft on both sides; float32 transforms of ≤ 60 points with |x| ≲ 3 give sums up
    /// to ~20, and any difference in plan would show as a few ulps of that.
    let tolerance = 1e-5

    func expectFixture(_ actual: Tensor, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = fixture.tensor(name)
        #expect(actual.dtype == expected.dtype, "\(name): dtype", sourceLocation: sourceLocation)
        expectClose(actual, expected, tolerance: tolerance, "\(name)", sourceLocation: sourceLocation)
    }

    @Test("1-D transforms with n, dim and each normalisation match torch.fft")
    func oneDimensional() {
        expectFixture(FFT.fft(signal), "fft")
        expectFixture(FFT.fft(signal, n: 5, dim: 0, norm: .ortho), "fft_n5_dim0_ortho")
        expectFixture(FFT.ifft(signal), "ifft")
        expectFixture(FFT.ifft(signal, n: 10, norm: .forward), "ifft_n10_forward")
        expectFixture(FFT.fft(realSignal), "fft_real_input")
        expectFixture(FFT.rfft(realSignal), "rfft")
        expectFixture(FFT.rfft(realSignal, n: 7, dim: 0), "rfft_n7_dim0")
        expectFixture(FFT.irfft(FFT.rfft(realSignal)), "irfft")
        expectFixture(FFT.irfft(signal, n: 9, norm: .ortho), "irfft_n9_ortho")
    }

    @Test("2-D and N-D transforms with s and dim match torch.fft")
    func multiDimensional() {
        expectFixture(FFT.fft2(signal), "fft2")
        expectFixture(FFT.fft2(signal, s: [4, 9], norm: .ortho), "fft2_s_ortho")
        expectFixture(FFT.ifft2(signal), "ifft2")
        expectFixture(FFT.fftn(volume), "fftn")
        expectFixture(FFT.fftn(volume, dim: [0, 2], norm: .forward), "fftn_dims_forward")
        expectFixture(FFT.ifftn(volume, s: [4, 4]), "ifftn_s")
        expectClose(FFT.ifftn(FFT.fftn(volume, norm: .ortho), norm: .ortho), volume, tolerance: tolerance)
    }

    @Test("fftshift and ifftshift roll like torch.fft, and undo each other on odd sizes")
    func shifts() {
        expectFixture(FFT.fftshift(volume), "fftshift")
        expectFixture(FFT.fftshift(volume, dim: [1, 2]), "fftshift_dims")
        expectFixture(FFT.ifftshift(volume), "ifftshift")
        expectFixture(FFT.ifftshift(volume, dim: [0]), "ifftshift_dim0")
        expectClose(FFT.ifftshift(FFT.fftshift(volume)), volume, tolerance: 0)
    }

    @Test("the gradient through |fft2| matches PyTorch's")
    func gradient() {
        let x = signal.clone().detach().requiringGrad()
        (FFT.fft2(x, norm: .ortho).abs() * fixture.tensor("in_weight")).sum().backward()
        expectFixture(x.grad!, "grad_fft2_signal")
    }
}
