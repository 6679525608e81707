import Torch

/// `body(image)`, run on `image` stored channels-last (NHWC) and returned in the default layout,
/// when `enabled` and `image` is a float32 CPU image batch `[N, C, H, W]`; plain `body(image)`
/// otherwise.
///
/// libtorch keeps the layout of its input through convolutions, normalisations, pooling,
/// activations and concatenations, so a whole network runs channels-last from one conversion in
/// and one out. On the CPU oneDNN's channels-last forward and input-gradient convolutions avoid
/// reordering every image to and from its blocked layout (and padding few channels to its
/// 8-wide blocks): 30–50% faster for 8–72 channels, about 10% beyond. ``Conv2d`` computes the
/// weight gradient, where oneDNN's channels-last kernel is the slower one, from NCHW copies, and
/// instance norm has its own channels-last kernel. It pays for narrow networks (a VarNet training
/// step 5–12% faster in alternating runs, 16% by its operator profile); Buda's 32–512 channel
/// U-Net trained no faster, its forward gain eaten by the backward pass's conversions. Results
/// equal the default layout's up to float32 summation order. One-channel images, whose two
/// layouts are the same memory, stay in the default one: libtorch takes a convolution's layout
/// from its input's strides.
public func withChannelsLastLayout(_ image: Tensor, enabled: Bool = true, _ body: (Tensor) -> Tensor) -> Tensor {
    guard enabled, image.rank == 4, image.device.kind == .cpu, image.dtype == .float32 else { return body(image) }
    return body(image.contiguous(memoryFormat: .channelsLast)).contiguous()
}
