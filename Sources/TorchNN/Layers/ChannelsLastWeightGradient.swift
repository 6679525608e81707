import Torch

/// `Conv3d` on large CPU volumes during training, with the weight gradient computed in
/// channels-last layout.
///
/// oneDNN's weight-gradient kernel for 3-D convolutions in PyTorch's default (NCDHW) layout is
/// 2–3× slower than the forward pass on volumes of 32³ voxels and more; in channels-last
/// (NDHWC) layout it is 1.3–2× faster than that (a 32→32 5³ convolution on 64³: 1.35 s against
/// 0.89 s with both layout conversions, 2 threads), while the forward pass and the input
/// gradient are fastest in the default layout. So the forward pass and the input gradient run
/// as PyTorch runs them, and only the weight gradient converts its operands. Small volumes and
/// few input channels, where the conversions cost more than they save, keep the plain path.
/// Results equal the plain path's up to float32 summation order.
enum ChannelsLastWeightGradient {
    /// The smallest output volume (voxels) worth the conversions.
    static let minimumVoxels = 32 * 32 * 32
    /// The fewest input channels worth the conversions.
    static let minimumInputChannels = 8

    /// Switched off by tests that compare the plain path with this one.
    nonisolated(unsafe) static var isEnabled = true

    /// Whether the convolution of `input` by `weight` takes this path.
    static func applies(input: Tensor, weight: Tensor, stride: [Int], groups: Int) -> Bool {
        guard isEnabled, groups == 1, input.rank == 5, weight.requiresGrad, isGradEnabled,
            input.device.kind == .cpu, input.dtype == .float32, weight.dtype == .float32,
            input.shape[1] >= minimumInputChannels, !isAutocastEnabled(device: .cpu)
        else { return false }
        let strides = stride.count == 1 ? Array(repeating: stride[0], count: 3) : stride
        let outputVoxels = zip(input.shape.suffix(3), strides).reduce(1) { $0 * max(1, $1.0 / max(1, $1.1)) }
        return outputVoxels >= minimumVoxels
    }
}
