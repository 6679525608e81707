/// Neural-network operations as free functions, like `torch.nn.functional`: convolution,
/// pooling, interpolation, normalisation, dropout, activations, losses and grid sampling.
///
/// Batched images are `[N, C, H, W]` and volumes `[N, C, D, H, W]`; most functions also take
/// the unbatched forms, as PyTorch's do. Sizes given as `[Int]` may have one element, used
/// for every spatial dimension (`stride: [2]` is `[2, 2]` for a 2-d op).
public enum Functional {}

extension Functional {
    /// `input.pad(padding, mode:value:)` (`torch.nn.functional.pad`); see `Tensor.pad`.
    public static func pad(
        _ input: Tensor, padding: [Int], mode: PaddingMode = .constant, value: Double = 0
    ) -> Tensor {
        input.pad(padding, mode: mode, value: value)
    }
}
