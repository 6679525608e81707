import Testing
import TorchTestSupport

@testable import MRI

@Suite("MRI physics")
struct PhysicsTests {
    let fixture: Fixture

    init() throws { fixture = try Fixture("physics") }

    // float32 sums of 4 squares and a sqrt: a few ulps of O(1) values.
    @Test("rootSumOfSquares equals fastMRI's rss (real) and rss_complex (complex)")
    func rootSumOfSquares() {
        let real = fixture.tensor("rss_input_real")
        let complex = fixture.tensor("rss_input_complex")
        expectClose(CoilCombination.rootSumOfSquares(real, dim: 1), fixture.tensor("rss_real_dim1"), tolerance: 1e-6)
        expectClose(
            CoilCombination.rootSumOfSquares(complex, dim: 1), fixture.tensor("rss_complex_dim1"), tolerance: 1e-6)
        expectClose(
            CoilCombination.rootSumOfSquares(complex, dim: 0), fixture.tensor("rss_complex_dim0"), tolerance: 1e-6)
    }

    @Test("centerCrop equals fastMRI's center_crop and complex_center_crop for even and odd sizes")
    func crop() throws {
        let data = fixture.tensor("crop_input")
        for (h, w) in [(4, 4), (5, 3), (9, 8), (6, 7)] {
            // Cropping copies values, so equality is exact.
            #expect(try centerCrop(data, shape: [h, w]).equal(fixture.tensor("complex_crop_\(h)x\(w)")))
            #expect(try centerCrop(data.real, shape: [h, w]).equal(fixture.tensor("real_crop_\(h)x\(w)")))
        }
    }

    @Test("centerPad places the data where centerCrop takes it back, with zeros around it")
    func pad() throws {
        let data = fixture.tensor("crop_input")
        for shape in [[12, 11], [10, 8], [9, 13]] {
            let padded = try centerPad(data, shape: shape)
            #expect(padded.shape == [2, 3] + shape)
            #expect(try centerCrop(padded, shape: [9, 8]).equal(data))
            // The data are random normals (no zeros): every other position is padding.
            #expect((padded .!= 0).sum().item(Int.self) == data.count)
        }
    }

    // complex64 products summed over 4 coils: a few ulps of O(1)–O(10) values.
    @Test("combine is Σ conj(S)·x over coils and expand is S·x (numpy formulas)")
    func combineAndExpand() throws {
        let sensitivities = fixture.tensor("sensitivities")
        let images = fixture.tensor("rss_input_complex")
        expectClose(
            try CoilCombination.combine(images, sensitivities: sensitivities), fixture.tensor("combined"),
            tolerance: 1e-5)
        expectClose(
            try CoilCombination.expand(fixture.tensor("image"), sensitivities: sensitivities),
            fixture.tensor("expanded"),
            tolerance: 1e-6)
    }

    @Test("coil compression keeps numpy's SVD subspace and exactly the energy of the kept singular values")
    func compression() throws {
        let kspace = fixture.tensor("compression_kspace")
        let compression = try CoilCompression(fitting: kspace, virtualCoils: 3)
        let compressed = try compression(kspace)
        #expect(compressed.shape == [2, 3, 8, 7])
        for b in 0..<2 {
            let singular = fixture.tensor("compression_singular_\(b)")
            // float32 SVD of a 6×56 matrix with entries O(5): singular values agree to ~1e-6 relative.
            expectClose(compression.singularValues[b].to(dtype: .float64), singular, tolerance: 1e-4)
            // The projector U_V U_Vᴴ is independent of the singular vectors' phases.
            let basis = compression.matrix[b].conj().mT
            let projector = basis.matmul(compression.matrix[b])
            expectClose(
                projector.to(dtype: .complex128), fixture.tensor("compression_projector3_\(b)"), tolerance: 1e-5)
            // A unitary projection keeps Σ_{i<3} σ_i² of the energy: relative float32 error ~1e-6.
            let kept = singular[..<3].square().sum().item(Double.self)
            let energy = compressed[b].abs().square().sum().item(Double.self)
            #expect(abs(energy - kept) / kept < 1e-5)
        }
        // Keeping every coil is unitary: the RSS image is unchanged.
        let full = try CoilCompression(fitting: kspace, virtualCoils: 6)
        let images = CenteredFFT.inverse(kspace)
        expectClose(
            CoilCombination.rootSumOfSquares(try full(images), dim: 1),
            CoilCombination.rootSumOfSquares(images, dim: 1),
            tolerance: 1e-4)
    }

    @Test("bad physics input throws MRIError naming the argument")
    func badInput() {
        let images = Tensor.zeros([1, 4, 6, 5], dtype: .complex64)
        #expect(throws: MRIError("sensitivities", "shape [1, 3, 6, 5] differs from the images' [1, 4, 6, 5]")) {
            try CoilCombination.combine(images, sensitivities: Tensor.zeros([1, 3, 6, 5], dtype: .complex64))
        }
        #expect(throws: MRIError.self) { try CoilCombination.combine(images.real, sensitivities: images.real) }
        #expect(throws: MRIError.self) { try CoilCombination.expand(images, sensitivities: images) }
        #expect(throws: MRIError.self) { try centerCrop(images, shape: [7, 5]) }
        #expect(throws: MRIError.self) { try centerCrop(images, shape: [3]) }
        #expect(throws: MRIError.self) { try centerPad(images, shape: [5, 5]) }
        #expect(throws: MRIError.self) { try CoilCompression(fitting: images, virtualCoils: 5) }
        let nan = Tensor.full([1, 2, 3, 3], Double.nan).to(dtype: .complex64)
        #expect(throws: MRIError.self) { try CoilCompression(fitting: nan, virtualCoils: 1) }
    }
}
