import Testing

@testable import MRI
import TorchTestSupport

@Suite("Centred FFT")
struct CenteredFFTTests {
    let fixture: Fixture

    init() throws { fixture = try Fixture("centered_fft") }

    // complex64 FFTs of 2·3·6·5 / 2·2·4·6·5 elements: pocketfft and fastMRI's torch.fft use the
    // same library here, so only summation order can differ; 1e-6 is a few ulps of O(1) values.
    @Test("forward and inverse equal fastMRI's fft2c / ifft2c (even and odd sizes)")
    func matchesFastMRI() {
        let image = fixture.tensor("image")
        expectClose(CenteredFFT.forward(image), fixture.tensor("fft2c"), tolerance: 1e-6)
        expectClose(CenteredFFT.inverse(image), fixture.tensor("ifft2c"), tolerance: 1e-6)
    }

    @Test("3D transforms over the last three dims equal numpy's centred orthonormal FFT")
    func threeDimensional() {
        let volume = fixture.tensor("volume")
        expectClose(CenteredFFT.forward(volume, dims: [-3, -2, -1]), fixture.tensor("fft3c"), tolerance: 1e-6)
    }

    @Test("inverse undoes forward")
    func roundTrip() {
        let image = fixture.tensor("image")
        expectClose(CenteredFFT.inverse(CenteredFFT.forward(image)), image, tolerance: 1e-6)
    }
}
