import CTorch

extension Functional {
    /// The weight gradient `[Co, Ci, 3, 3]` of the "same" 3×3 convolution (stride 1, padding 1,
    /// one group) of `input` `[N, Ci, H, W]`, from the gradient of its output `[N, Co, H, W]`, by
    /// Winograd's minimal filtering F(4×4, 3×3) (Lavin & Gray, CVPR 2016): 36 matrix products
    /// over 4×4 output tiles, about 4× fewer multiplications than direct correlation. Float32 CPU
    /// tensors only; not recorded by autograd. Its float32 rounding error is about 10× direct
    /// correlation's (the transforms' coefficients reach 8 and 1/24): up to 3e-5 of the gradient's
    /// largest magnitude, against 2–5e-6.
    public static func winogradConv2dWeightGradient(input: Tensor, outputGradient: Tensor) -> Tensor {
        var handle: mt_tensor?
        check(mt_winograd_conv2d_weight_gradient(input.handle, outputGradient.handle, &handle))
        return Tensor.wrapping(handle)
    }
}
