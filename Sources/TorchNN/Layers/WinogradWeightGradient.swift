import Torch

/// `Conv2d` in CPU training with the weight gradient of "same" 3×3 convolutions (stride 1,
/// padding 1, one group) computed by Winograd's F(4×4, 3×3)
/// (``Functional/winogradConv2dWeightGradient(input:outputGradient:)``).
///
/// The weight gradient is oneDNN's slowest product of these layers: 1.5–1.8× its forward pass
/// for 64–512 channels, where F(4×4, 3×3) takes about half of oneDNN's time (a 128→128
/// convolution on 80²: 11–12 ms against 22–25 ms, 2 threads). The tile transforms cost in
/// proportion to the channels and the multiplications saved grow with their product, so the path
/// needs enough of both, measured against oneDNN with 2 threads (the transforms on both):
/// - 32 channels or more on images of 32² or more (64 tiles): 32→32 on 256² 0.6–0.85× oneDNN's
///   time, on 32² 0.6×; on 16² it no longer pays reliably (0.75–0.85×).
/// - 64 channels or more on images of 16² or more (16 tiles), whatever the batch: 512→512 on
///   16² 0.5–0.65×, 64→64 0.6×. On 12² or 8² (9 or 4 tiles) the kernel transforms are not
///   repaid (128→128 on 4×8²: 1.1–1.6×).
/// - 9–31 channels that are no multiple of 8, on images of 32² or more: oneDNN pads channels
///   to blocks of 8 (AVX2) and wastes that work (18→18 on 320²: 0.65–0.7×, 36→18: 0.65×,
///   12→12 on 64²: 0.6×), whereas with 8, 16 or 24 channels it ranges 0.6–1.4× (16→16 on 256²:
///   1.2–1.4×). Fewer than 9 channels (first and last layers) keep libtorch's path.
/// The other layers keep libtorch's path, as do the forward pass and the input gradient, which
/// stay exactly PyTorch's: computed by F(4×4, 3×3) too, they took as long as oneDNN's direct
/// kernels in a 2-D U-Net step. The weight gradient's float32 rounding error is about 10× direct
/// correlation's (up to 3e-5 of its largest magnitude against 2–5e-6), far below what the
/// optimiser notices.
enum WinogradWeightGradient {
    /// The fewest input and output channels worth the transforms on images of 32² or more.
    static let minimumChannels = 32
    /// The fewest 4×4 output tiles per image (32²) at `minimumChannels`.
    static let minimumTilesPerImage = 64
    /// From these channels on, images of `minimumWideTilesPerImage` tiles (16²) qualify too.
    static let wideChannels = 64
    static let minimumWideTilesPerImage = 16
    /// oneDNN's channel block on AVX2; fewer than `minimumChannels` but more than one block qualify
    /// when they fill no whole number of blocks.
    static let oneDNNChannelBlock = 8

    /// Switched off by tests that compare with libtorch's path.
    nonisolated(unsafe) static var isEnabled = true

    /// Whether the convolution of `input` by `weight` takes this path.
    static func applies(
        input: Tensor, weight: Tensor, stride: [Int], padding: [Int], dilation: [Int], groups: Int
    ) -> Bool {
        guard isEnabled, groups == 1, input.rank == 4, weight.shape.suffix(2) == [3, 3], stride == [1, 1],
            padding == [1, 1], dilation == [1, 1], isGradEnabled, weight.requiresGrad,
            input.device.kind == .cpu, input.dtype == .float32, weight.dtype == .float32,
            !isAutocastEnabled(device: .cpu)
        else { return false }
        let tilesPerImage = ((input.shape[2] + 3) / 4) * ((input.shape[3] + 3) / 4)
        let channels = min(weight.shape[0], weight.shape[1])
        if channels >= wideChannels && tilesPerImage >= minimumWideTilesPerImage { return true }
        let padded = channels > oneDNNChannelBlock && channels % oneDNNChannelBlock != 0
        return (channels >= minimumChannels || padded) && tilesPerImage >= minimumTilesPerImage
    }

    /// `Functional.conv2d(input, weight:, bias:, padding: [1])`, its weight gradient by Winograd.
    static func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        convolutionWithWeightGradient(
            input, weight: weight, bias: bias, stride: [1, 1], padding: [1, 1], dilation: [1, 1]
        ) { input, weight, bias in
            Functional.conv2d(input, weight: weight, bias: bias, padding: [1])
        } weightGradient: { gradient, input, _ in
            Functional.winogradConv2dWeightGradient(input: input, outputGradient: gradient)
        }
    }
}
