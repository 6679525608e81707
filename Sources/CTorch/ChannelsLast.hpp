// Fast dense copies of channels-last tensors, and the 4×4 transpose they are built from, for the
// shim's own kernels.
#pragma once

#include <ATen/ATen.h>

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

namespace ctorch {

/// Transposes the 4×4 block whose rows start at `rows[0…3]` into the rows starting at
/// `columns[0…3]`: columns[c][r] = rows[r][c]. One SSE transpose where the target has SSE.
inline void transpose4x4(const float *const rows[4], float *const columns[4]) {
#if defined(__SSE__)
  __m128 row0 = _mm_loadu_ps(rows[0]), row1 = _mm_loadu_ps(rows[1]);
  __m128 row2 = _mm_loadu_ps(rows[2]), row3 = _mm_loadu_ps(rows[3]);
  _MM_TRANSPOSE4_PS(row0, row1, row2, row3);
  _mm_storeu_ps(columns[0], row0);
  _mm_storeu_ps(columns[1], row1);
  _mm_storeu_ps(columns[2], row2);
  _mm_storeu_ps(columns[3], row3);
#else
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c) columns[c][r] = rows[r][c];
#endif
}

/// `tensor.contiguous()`; a float32 CPU tensor in exact NHWC layout (outside autograd) is
/// transposed by cache-sized pixel blocks, several times faster than libtorch's strided copy.
at::Tensor contiguous(const at::Tensor &tensor);

} // namespace ctorch
