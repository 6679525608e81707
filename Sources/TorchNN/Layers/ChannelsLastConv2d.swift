import Torch

/// `Conv2d` in CPU training on a channels-last (NHWC) input, with the weight gradient computed
/// from row-major (NCHW) copies of its operands.
///
/// In channels-last layout oneDNN runs the forward pass and the input gradient of convolutions
/// with few channels without padding the channels to its 8-wide blocks or reordering the images:
/// 1.3–2.5× faster than in PyTorch's default layout for 18–72 channels (an 18→18 3×3 convolution
/// on 320²: 6.9 ms against 10.4 ms forward, 7.1 ms against 11.3 ms input gradient, 2 threads).
/// Its channels-last weight-gradient kernel, though, is 1.2–4× slower than the blocked one (36→18
/// on 320²: 53 ms against 25 ms), so the weight gradient transposes both operands to NCHW
/// (``Tensor/contiguous()``, a blocked transpose) and runs libtorch's kernel there. Inputs of
/// fewer than 16 channels and 1×1 kernels keep the channels-last kernel, which is the faster one
/// for them. Results equal libtorch's up to float32 summation order. Where
/// ``WinogradWeightGradient`` applies (most of VarNet's 3×3 layers) it comes first: its kernel
/// reads the same NCHW copies.
enum ChannelsLastConv2d {
    /// The fewest input channels for which the NCHW weight gradient pays for the transposes.
    static let minimumInputChannels = 16

    /// Switched off by tests that compare with libtorch's path.
    nonisolated(unsafe) static var isEnabled = true

    /// Whether the convolution of `input` by `weight` takes this path.
    static func applies(input: Tensor, weight: Tensor, groups: Int) -> Bool {
        isEnabled && groups == 1 && input.isChannelsLastCPUImage && isGradEnabled && weight.requiresGrad
            && weight.dtype == .float32 && input.shape[1] >= minimumInputChannels && weight.shape.suffix(2) != [1, 1]
            && !isAutocastEnabled(device: .cpu)
    }
}
