// Fast dense copies of channels-last tensors, for the shim's own kernels.
#pragma once

#include <ATen/ATen.h>

namespace ctorch {

/// `tensor.contiguous()`; a float32 CPU tensor in exact NHWC layout (outside autograd) is
/// transposed by cache-sized pixel blocks, several times faster than libtorch's strided copy.
at::Tensor contiguous(const at::Tensor &tensor);

} // namespace ctorch
