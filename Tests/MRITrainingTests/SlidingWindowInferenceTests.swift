import Testing

@testable import MRITraining
import TorchTestSupport

@Suite("Sliding-window inference")
struct SlidingWindowInferenceTests {
    @Test("equals MONAI's sliding_window_inference", arguments: [
        ("volume_gaussian", [6, 6, 6], 0.25, SlidingWindowInference.Blending.gaussian(), 3),
        ("volume_constant", [6, 6, 4], 0.5, .constant, 1),
        ("image_padded", [8, 8], 0.25, .gaussian(), 2),
    ])
    func matchesMONAI(name: String, roi: [Int], overlap: Double, blending: SlidingWindowInference.Blending, batch: Int) throws {
        let fixture = try Fixture("sliding_window")
        let weight = fixture.tensor("\(name)_weight")
        let inference = SlidingWindowInference(roiSize: roi, overlap: overlap, blending: blending, windowBatchSize: batch)
        let output = inference(fixture.tensor("\(name)_input")) { patch in
            (roi.count == 3 ? Functional.conv3d(patch, weight: weight, padding: [1])
                : Functional.conv2d(patch, weight: weight, padding: [1])).sigmoid()
        }
        // Float32 weighted sums in the same order as MONAI's; convolution rounding differs by ulps.
        expectClose(output, fixture.tensor("\(name)_output"), tolerance: 1e-5)
    }

    @Test("window starts step by roi·(1 − overlap) and the last window ends at the border")
    func starts() {
        #expect(SlidingWindowInference.windowStarts(imageSize: [10], roiSize: [4], overlap: 0.25) == [[0], [3], [6]])
        #expect(SlidingWindowInference.windowStarts(imageSize: [4, 5], roiSize: [4, 4], overlap: 0.5)
            == [[0, 0], [0, 1]])
    }
}
