import Torch

/// Complex images as real network channels and back, at the boundary of networks that see real
/// channels (fastMRI's `complex_to_chan_dim` / `chan_complex_to_last_dim` on native complex tensors).
enum ComplexChannels {
    /// Complex `[N, C, H, W]` → real `[N, 2C, H, W]`: the real parts of all channels, then the
    /// imaginary parts, fastMRI's channel order.
    static func split(_ image: Tensor) -> Tensor { Tensor.cat([image.real, image.imag], dim: 1) }

    /// Real `[N, 2C, H, W]` (real parts, then imaginary parts) → complex `[N, C, H, W]`.
    static func merge(_ channels: Tensor) -> Tensor {
        let parts = channels.chunk(2, dim: 1)
        return Tensor.complex(real: parts[0], imaginary: parts[1])
    }
}
