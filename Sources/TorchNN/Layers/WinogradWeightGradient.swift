import Torch

/// `Conv2d` in CPU training with the weight gradient of "same" 3×3 convolutions (stride 1,
/// padding 1, one group) computed by Winograd's F(4×4, 3×3)
/// (``Functional/winogradConv2dWeightGradient(input:outputGradient:)``).
///
/// The weight gradient is oneDNN's slowest product of these layers: 1.5–1.8× its forward pass
/// for 64–512 channels, where F(4×4, 3×3) takes about half of oneDNN's time (a 128→128
/// convolution on 80²: 11–12 ms against 22–25 ms, 2 threads). With fewer channels the tile
/// transforms cost more than the multiplications they save (32→32 on 256²: 1.0–1.3× oneDNN's
/// time). The kernel transforms (one per weight) are repaid once there are enough tiles: 64 per
/// image (32²) at 64 channels; from 128 channels on, 24 over the batch of images of 16² or more,
/// which takes in the U-Nets' bottlenecks (512→512 on 3×16²: 17–25 ms against 34–55 ms; on 1×20²:
/// 13–16 ms against 17–29 ms). On smaller images (12², 3×3 tiles) it loses. The other layers keep
/// libtorch's path, as do the forward pass and the input gradient, which stay exactly PyTorch's:
/// computed by F(4×4, 3×3) too, they took as long as oneDNN's direct kernels in a 2-D U-Net step.
/// The weight gradient's float32 rounding error is about 10× direct correlation's (up to 3e-5 of
/// its largest magnitude against 2–5e-6), far below what the optimiser notices.
enum WinogradWeightGradient {
    /// The fewest input and output channels worth the transforms.
    static let minimumChannels = 64
    /// The fewest 4×4 output tiles per image worth the kernel transforms at `minimumChannels`.
    static let minimumTilesPerImage = 64
    /// From these channels on, smaller images qualify too: `minimumSmallImageTiles` per image and
    /// `minimumBatchTiles` over the batch.
    static let wideChannels = 128
    static let minimumSmallImageTiles = 16
    static let minimumBatchTiles = 24

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
        if channels >= wideChannels && tilesPerImage >= minimumSmallImageTiles {
            return tilesPerImage * input.shape[0] >= minimumBatchTiles
        }
        return channels >= minimumChannels && tilesPerImage >= minimumTilesPerImage
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
