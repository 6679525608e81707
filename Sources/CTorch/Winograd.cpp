// The weight gradient of "same" 3×3 convolutions (stride 1, padding 1, no dilation, one group)
// of float32 CPU tensors by Winograd's minimal filtering F(4×4, 3×3).
//
// Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks" (CVPR 2016): each 4×4 output
// tile of such a convolution is Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A, with d the 6×6 input patch and g the
// 3×3 kernel. Its weight gradient is therefore Gᵀ[Σ_tiles (A ∂Y Aᵀ) ⊙ (Bᵀ d B)]G: 36 matrix
// products [Co×tiles]·[tiles×Ci] (at::bmm) with 4× fewer multiplications than direct
// correlation, between two memory-bound tile transforms. Each transform works on a band of tile
// rows of one (image, channel) at a time, vectorised along the tile row.
#include "ChannelsLast.hpp"
#include "Guard.hpp"
#include "Parallel.hpp"

#include <c10/core/GradMode.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <vector>

using ctorch::guarded;
using ctorch::unwrap;
using ctorch::wrap;

namespace {

constexpr int64_t kTile = 4;   // output tile side
constexpr int64_t kPatch = 6;  // input patch side (tile + kernel − 1)
constexpr int64_t kPoints = kPatch * kPatch;

// The 1-D transforms, applied once down the columns and once along the rows of a tile.

/// Bᵀ·a: the input patch transform along one direction (6 → 6).
inline void input_transform(const float a[kPatch], float out[kPatch]) {
  out[0] = 4 * a[0] - 5 * a[2] + a[4];
  out[1] = -4 * a[1] - 4 * a[2] + a[3] + a[4];
  out[2] = 4 * a[1] - 4 * a[2] - a[3] + a[4];
  out[3] = -2 * a[1] - a[2] + 2 * a[3] + a[4];
  out[4] = 2 * a[1] - a[2] - 2 * a[3] + a[4];
  out[5] = 4 * a[1] - 5 * a[3] + a[5];
}

/// A·g (4 → 6), the adjoint of the output tile transform Aᵀ·m: the transform of an
/// output-gradient tile along one direction.
inline void output_adjoint(const float g[kTile], float out[kPatch]) {
  out[0] = g[0];
  out[1] = g[0] + g[1] + g[2] + g[3];
  out[2] = g[0] - g[1] + g[2] - g[3];
  out[3] = g[0] + 2 * g[1] + 4 * g[2] + 8 * g[3];
  out[4] = g[0] - 2 * g[1] + 4 * g[2] - 8 * g[3];
  out[5] = g[3];
}

/// Splits `row` (4·count values) into its 4 phases: phases[r][t] = row[4t + r], so that the
/// transforms along a row read unit-stride, vectorisable arrays. Four tiles at a time are one 4×4
/// transpose.
inline void deinterleave(const float *__restrict row, int64_t count, float *const __restrict phases[kTile]) {
  int64_t t = 0;
  for (; t + 4 <= count; t += 4) {
    const float *tiles[4] = {row + 4 * t, row + 4 * t + 4, row + 4 * t + 8, row + 4 * t + 12};
    float *const phase_runs[4] = {phases[0] + t, phases[1] + t, phases[2] + t, phases[3] + t};
    ctorch::transpose4x4(tiles, phase_runs);
  }
  for (; t < count; ++t)
    for (int64_t r = 0; r < kTile; ++r) phases[r][t] = row[4 * t + r];
}

/// Gᵀ·u (6 → 3), with Lavin & Gray's G for F(4, 3), along one direction of `count` point
/// gradients at once (u[j][k] is point j of kernel k): the adjoint of the kernel transform G·g.
inline void kernel_adjoint(const float *const u[kPatch], int64_t count, float *const out[3]) {
  constexpr float sixth = 1.0f / 6, twelfth = 1.0f / 12, twenty_fourth = 1.0f / 24;
  for (int64_t k = 0; k < count; ++k) {
    float sum12 = u[1][k] + u[2][k], sum34 = u[3][k] + u[4][k];
    out[0][k] = 0.25f * u[0][k] - sixth * sum12 + twenty_fourth * sum34;
    out[1][k] = sixth * (u[2][k] - u[1][k]) + twelfth * (u[3][k] - u[4][k]);
    out[2][k] = sixth * (sum34 - sum12) + u[5][k];
  }
}

/// Memory for the transformed planes ([36, C, tiles], tens of MB for a 320² image), kept from one
/// convolution to the next: fresh memory that large costs a page fault per 4 KB on every call,
/// which is as much time as the transforms themselves. It grows to the largest layer's need and
/// stays for the process's life (about 50 MB for a fastMRI U-Net on 320² images). One
/// convolution at a time holds it; a concurrent one allocates its own.
class Workspace {
public:
  Workspace() : lock_(mutex(), std::try_to_lock) {}

  /// An uninitialised float32 tensor of `sizes` in slot `slot` (0–2), valid while this lives.
  at::Tensor tensor(int slot, at::IntArrayRef sizes) {
    if (!lock_.owns_lock()) return at::empty(sizes, at::kFloat);
    int64_t count = c10::multiply_integers(sizes);
    at::Tensor &memory = slots()[slot];
    if (!memory.defined() || memory.numel() < count) {
      memory = at::Tensor();  // free the smaller one first
      memory = at::empty({count}, at::kFloat);
    }
    return memory.narrow(0, 0, count).view(sizes);
  }

private:
  static std::mutex &mutex() {
    static std::mutex shared;
    return shared;
  }
  static at::Tensor *slots() {
    // Never destroyed: freeing tensors during static destruction could outlive libtorch's allocator.
    static at::Tensor *shared = new at::Tensor[3];
    return shared;
  }
  std::unique_lock<std::mutex> lock_;
};

/// Runs `body(first, last)` over blocks of `count` kernels (a block's data stays in L1) on all threads.
constexpr int64_t kKernelBlock = 256;
template <class Body> void for_each_kernel_block(int64_t count, Body body) {
  ctorch::parallel_for(0, (count + kKernelBlock - 1) / kKernelBlock, 1, [&](int64_t begin, int64_t end) {
    for (int64_t index = begin; index < end; ++index)
      body(index * kKernelBlock, std::min(count, (index + 1) * kKernelBlock));
  });
}

/// The tile grid of a batch of H×W images.
struct Tiling {
  int64_t batch, height, width, rows, columns;
  explicit Tiling(const at::Tensor &image)
      : batch(image.size(0)), height(image.size(2)), width(image.size(3)),
        rows((height + kTile - 1) / kTile), columns((width + kTile - 1) / kTile) {}
  int64_t tiles() const { return batch * rows * columns; }
  /// The index of image `n`'s first tile in tile row `row`.
  int64_t first_tile(int64_t n, int64_t row) const { return (n * rows + row) * columns; }
};

/// A band of consecutive tile rows of one channel of one image, the unit of work of the tile
/// transforms, with its 36 transformed values per tile staged in the thread's own memory: point p
/// of the band's tile t at `points[p * stride + t]`. The planes [36, C, tiles] lie a multiple of
/// 4 KB apart for the power-of-two widths and image sizes of U-Nets, so writing all 36 at once
/// makes their rows share cache sets and evict each other (the input transform of 64×128² took
/// twice as long); a band is written out one plane at a time.
struct Band {
  int64_t image, channel, first_row, rows;
  float *points;
  int64_t stride;

  /// Copies the staged values to their places in `planes` [36, C, tiles] of `channels` channels.
  void store(float *planes, const Tiling &tiling, int64_t channels) const {
    float *first = planes + channel * tiling.tiles() + tiling.first_tile(image, first_row);
    for (int64_t p = 0; p < kPoints; ++p)
      std::memcpy(first + p * channels * tiling.tiles(), points + p * stride, rows * tiling.columns * sizeof(float));
  }
};

/// The most tiles per band: 36 staged values of each stay within L2 (72 KB).
constexpr int64_t kBandTiles = 512;

/// Runs `body(band, scratch)` over every band of every channel on all threads; `scratch` holds
/// 64·(tile columns + 2) floats of the thread's own.
template <class Body> void for_each_band(const Tiling &tiling, int64_t channels, Body body) {
  int64_t band_rows = std::max<int64_t>(1, kBandTiles / tiling.columns);
  int64_t bands = (tiling.rows + band_rows - 1) / band_rows;
  int64_t stride = band_rows * tiling.columns + 16;  // planes one cache line off 4 KB multiples
  ctorch::parallel_for(0, tiling.batch * channels * bands, 1, [&](int64_t begin, int64_t end) {
    int64_t scratch_size = 64 * (tiling.columns + 2);
    std::vector<float> scratch(scratch_size + kPoints * stride);
    for (int64_t index = begin; index < end; ++index) {
      int64_t first_row = index % bands * band_rows, rest = index / bands;
      Band band{rest / channels, rest % channels, first_row, std::min(band_rows, tiling.rows - first_row),
                scratch.data() + scratch_size, stride};
      body(band, scratch.data());
    }
  });
}

/// Bᵀ d B of every 6×6 input patch (stride 4, the image zero-padded by 1): [36, C, tiles].
at::Tensor transform_input(const at::Tensor &input, const Tiling &tiling, at::Tensor planes) {
  int64_t channels = input.size(1), columns = tiling.columns, width = tiling.width;
  const float *x = input.data_ptr<float>();
  float *v = planes.data_ptr<float>();
  std::vector<float> zeros(width, 0.0f);
  int64_t padded = kTile * (columns + 1);  // one zero column left, zeros right up to a whole tile
  for_each_band(tiling, channels, [&](const Band &band, float *scratch) {
    const float *plane = x + (band.image * channels + band.channel) * tiling.height * width;
    for (int64_t tile_row = band.first_row; tile_row < band.first_row + band.rows; ++tile_row) {
      const float *rows[kPatch];
      for (int64_t k = 0; k < kPatch; ++k) {
        int64_t y = tile_row * kTile + k - 1;
        rows[k] = y >= 0 && y < tiling.height ? plane + y * width : zeros.data();
      }
      // Down the columns: 6 padded rows t[i] = Σ_k Bᵀ[i][k]·row[k].
      float *t[kPatch];
      for (int64_t i = 0; i < kPatch; ++i) {
        t[i] = scratch + i * padded;
        std::fill(t[i], t[i] + 1, 0.0f);
        std::fill(t[i] + 1 + width, t[i] + padded, 0.0f);
      }
      for (int64_t column = 0; column < width; ++column) {
        float a[kPatch], out[kPatch];
        for (int64_t k = 0; k < kPatch; ++k) a[k] = rows[k][column];
        input_transform(a, out);
        for (int64_t i = 0; i < kPatch; ++i) t[i][column + 1] = out[i];
      }
      // Along the rows: each tile's 6 values are phases 0–3 of its own 4 columns and 0–1 of the next's.
      float *phase = scratch + kPatch * padded;
      int64_t stride = columns + 1;
      float *const phases[kTile] = {phase, phase + stride, phase + 2 * stride, phase + 3 * stride};
      int64_t point_stride = band.stride;
      for (int64_t i = 0; i < kPatch; ++i) {
        deinterleave(t[i], columns + 1, phases);
        float *out = band.points + i * kPatch * point_stride + (tile_row - band.first_row) * columns;
        for (int64_t tx = 0; tx < columns; ++tx) {
          float a[kPatch] = {phases[0][tx], phases[1][tx], phases[2][tx], phases[3][tx], phases[0][tx + 1],
                             phases[1][tx + 1]};
          float transformed[kPatch];
          input_transform(a, transformed);
          for (int64_t j = 0; j < kPatch; ++j) out[j * point_stride + tx] = transformed[j];
        }
      }
    }
    band.store(v, tiling, channels);
  });
  return planes;
}

/// A ∂Y Aᵀ of every 4×4 output-gradient tile (zero beyond the image), the adjoint of the output
/// transform: [36, Co, tiles].
at::Tensor transform_output_gradient(const at::Tensor &gradient, const Tiling &tiling, at::Tensor planes) {
  int64_t channels = gradient.size(1), columns = tiling.columns, width = tiling.width;
  const float *g = gradient.data_ptr<float>();
  float *mg = planes.data_ptr<float>();
  std::vector<float> zeros(width, 0.0f);
  int64_t padded = kTile * columns;
  for_each_band(tiling, channels, [&](const Band &band, float *scratch) {
    const float *plane = g + (band.image * channels + band.channel) * tiling.height * width;
    for (int64_t tile_row = band.first_row; tile_row < band.first_row + band.rows; ++tile_row) {
      const float *rows[kTile];
      for (int64_t k = 0; k < kTile; ++k) {
        int64_t y = tile_row * kTile + k;
        rows[k] = y < tiling.height ? plane + y * width : zeros.data();
      }
      float *t[kPatch];
      for (int64_t i = 0; i < kPatch; ++i) {
        t[i] = scratch + i * padded;
        std::fill(t[i] + width, t[i] + padded, 0.0f);
      }
      for (int64_t column = 0; column < width; ++column) {
        float a[kTile], out[kPatch];
        for (int64_t k = 0; k < kTile; ++k) a[k] = rows[k][column];
        output_adjoint(a, out);
        for (int64_t i = 0; i < kPatch; ++i) t[i][column] = out[i];
      }
      float *phase = scratch + kPatch * padded;
      float *const phases[kTile] = {phase, phase + columns, phase + 2 * columns, phase + 3 * columns};
      int64_t point_stride = band.stride;
      for (int64_t i = 0; i < kPatch; ++i) {
        deinterleave(t[i], columns, phases);
        float *out = band.points + i * kPatch * point_stride + (tile_row - band.first_row) * columns;
        for (int64_t tx = 0; tx < columns; ++tx) {
          float a[kTile] = {phases[0][tx], phases[1][tx], phases[2][tx], phases[3][tx]};
          float transformed[kPatch];
          output_adjoint(a, transformed);
          for (int64_t j = 0; j < kPatch; ++j) out[j * point_stride + tx] = transformed[j];
        }
      }
    }
    band.store(mg, tiling, channels);
  });
  return planes;
}

/// Gᵀ u G of every 6×6 point gradient ([36, Co, Ci]): the kernels' gradient [Co, Ci, 3, 3],
/// separably: along the points' rows, then down their columns.
at::Tensor transform_weight_gradient(const at::Tensor &point_gradients) {
  int64_t kernels = point_gradients.size(1) * point_gradients.size(2);
  auto gradient = at::empty({point_gradients.size(1), point_gradients.size(2), 3, 3}, point_gradients.options());
  const float *u = point_gradients.data_ptr<float>();
  float *g = gradient.data_ptr<float>();
  for_each_kernel_block(kernels, [&](int64_t first, int64_t last) {
    float rows[kPatch][3][kKernelBlock];  // Gᵀ along each row i of the block's point gradients
    for (int64_t i = 0; i < kPatch; ++i) {
      const float *row[kPatch];
      for (int64_t j = 0; j < kPatch; ++j) row[j] = u + (i * kPatch + j) * kernels + first;
      float *const out[3] = {rows[i][0], rows[i][1], rows[i][2]};
      kernel_adjoint(row, last - first, out);
    }
    float taps[9][kKernelBlock];  // the block's kernel gradients, tap-major
    for (int64_t b = 0; b < 3; ++b) {
      const float *column[kPatch] = {rows[0][b], rows[1][b], rows[2][b], rows[3][b], rows[4][b], rows[5][b]};
      float *const out[3] = {taps[b], taps[3 + b], taps[6 + b]};
      kernel_adjoint(column, last - first, out);
    }
    for (int64_t k = first; k < last; ++k)
      for (int64_t q = 0; q < 9; ++q) g[k * 9 + q] = taps[q][k - first];
  });
  return gradient;
}

void check_operands(const at::Tensor &image, const char *name) {
  TORCH_CHECK(image.dim() == 4 && image.device().is_cpu() && image.scalar_type() == at::kFloat,
              "Winograd convolution: ", name, " must be a 4-D float32 CPU tensor, got ", image.sizes(), " ",
              image.scalar_type(), " on ", image.device());
}

} // namespace

mt_status mt_winograd_conv2d_weight_gradient(mt_tensor input, mt_tensor grad_output, mt_tensor *out) {
  return guarded([&] {
    auto x = ctorch::contiguous(unwrap(input));
    auto g = ctorch::contiguous(unwrap(grad_output));
    check_operands(x, "input");
    check_operands(g, "output gradient");
    TORCH_CHECK(g.size(0) == x.size(0) && g.size(2) == x.size(2) && g.size(3) == x.size(3),
                "Winograd convolution: output gradient ", g.sizes(), " does not match input ", x.sizes());
    c10::AutoGradMode no_grad(false);
    Tiling tiling(x);
    // ∂L/∂U[p] = Σ_tiles (A ∂L/∂Y Aᵀ)[p] · (Bᵀ d B)[p]ᵀ, then ∂L/∂g = Gᵀ (∂L/∂U) G.
    Workspace workspace;
    auto gradients = transform_output_gradient(g, tiling, workspace.tensor(0, {kPoints, g.size(1), tiling.tiles()}));
    auto patches = transform_input(x, tiling, workspace.tensor(1, {kPoints, x.size(1), tiling.tiles()}));
    auto point_gradients = workspace.tensor(2, {kPoints, g.size(1), x.size(1)});
    at::bmm_out(point_gradients, gradients, patches.transpose(1, 2));
    *out = wrap(transform_weight_gradient(point_gradients));
  });
}
