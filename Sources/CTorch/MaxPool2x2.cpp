// 2×2 max pooling with stride 2 (no padding, no dilation, floor mode: the U-Nets' down-sampling)
// of row-major float32 CPU images [N, C, H, W]; forward and backward.
//
// libtorch's generic kernel writes an int64 index per output and runs at about 1 GB/s on these
// images. Here each pair of input rows is one unit of work; the window's winner is found as
// libtorch finds it, scanning (0,0), (0,1), (1,0), (1,1) and taking a value strictly greater than
// the best so far or NaN, so the first maximum wins a tie (ReLU outputs tie at 0 everywhere) and
// NaN propagates. The backward pass finds the winner again from the input instead of reading saved
// indices, and writes every input-gradient value once: the output gradient at the winner, 0 at the
// other three places and in an odd last row or column.
#include "Guard.hpp"
#include "Parallel.hpp"

#include <algorithm>

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

using ctorch::guarded;
using ctorch::unwrap;
using ctorch::wrap;

namespace {

/// One window at a time: values are floats, masks bools.
struct Scalar {
  using Value = float;
  using Mask = bool;
  static constexpr int64_t kWindows = 1;
  static Mask greater_or_nan(Value v, Value best) { return v > best || v != v; }
  static Value select(Mask m, Value x, Value y) { return m ? x : y; }
  static Mask and_not(Mask m, Mask n) { return m && !n; }
  static Mask either(Mask m, Mask n) { return m || n; }
  static Value keep(Mask m, Value v) { return m ? v : 0.0f; }
  static Value drop(Mask m, Value v) { return m ? 0.0f : v; }
  static Value load(const float *p) { return *p; }
  static void store(float *p, Value v) { *p = v; }
  /// The left (even) and right (odd) values of consecutive windows of a row.
  static void load_pairs(const float *p, Value &left, Value &right) { left = p[0], right = p[1]; }
  static void store_pairs(float *p, Value left, Value right) { p[0] = left, p[1] = right; }
};

#if defined(__SSE__)
/// Four windows at a time in SSE registers (branch-free: the winners of ReLU outputs are
/// unpredictable, and libtorch's x86-64 builds require SSE).
struct SSE {
  using Value = __m128;
  using Mask = __m128;
  static constexpr int64_t kWindows = 4;
  static Mask greater_or_nan(Value v, Value best) {
    return _mm_or_ps(_mm_cmpgt_ps(v, best), _mm_cmpunord_ps(v, v));
  }
  static Value select(Mask m, Value x, Value y) { return _mm_or_ps(_mm_and_ps(m, x), _mm_andnot_ps(m, y)); }
  static Mask and_not(Mask m, Mask n) { return _mm_andnot_ps(n, m); }
  static Mask either(Mask m, Mask n) { return _mm_or_ps(m, n); }
  static Value keep(Mask m, Value v) { return _mm_and_ps(m, v); }
  static Value drop(Mask m, Value v) { return _mm_andnot_ps(m, v); }
  static Value load(const float *p) { return _mm_loadu_ps(p); }
  static void store(float *p, Value v) { _mm_storeu_ps(p, v); }
  static void load_pairs(const float *p, Value &left, Value &right) {
    Value first = _mm_loadu_ps(p), second = _mm_loadu_ps(p + 4);
    left = _mm_shuffle_ps(first, second, _MM_SHUFFLE(2, 0, 2, 0));
    right = _mm_shuffle_ps(first, second, _MM_SHUFFLE(3, 1, 3, 1));
  }
  static void store_pairs(float *p, Value left, Value right) {
    _mm_storeu_ps(p, _mm_unpacklo_ps(left, right));
    _mm_storeu_ps(p + 4, _mm_unpackhi_ps(left, right));
  }
};
using Wide = SSE;
#else
using Wide = Scalar;
#endif

/// The geometry of a pooled image batch: `planes` (N·C) planes of H×W pooled to (H/2)×(W/2),
/// each output row's windows from 0 to `wide_windows` taken `Wide::kWindows` at a time, the rest
/// one by one.
struct Pooling {
  int64_t planes, height, width, out_height, out_width, wide_windows;
  explicit Pooling(const at::Tensor &input)
      : planes(input.size(0) * input.size(1)), height(input.size(2)), width(input.size(3)),
        out_height(height / 2), out_width(width / 2), wide_windows(out_width / Wide::kWindows * Wide::kWindows) {}

  /// Runs `body(top_row, bottom_row, output_row_index)` over every output row on all threads,
  /// with the offsets of the two input rows it pools and of its own output row.
  template <class Body> void for_each_row(Body body) const {
    int64_t rows = planes * out_height;
    int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(1, width));
    ctorch::parallel_for(0, rows, grain, [&](int64_t begin, int64_t end) {
      for (int64_t row = begin; row < end; ++row) {
        int64_t plane = row / out_height, y = row % out_height;
        int64_t top = (plane * height + 2 * y) * width;
        body(top, top + width, row * out_width);
      }
    });
  }
};

/// `L::kWindows` windows (top row a b, bottom row c d) scanned as libtorch scans each:
/// b, c and d in turn replace the best value so far when strictly greater or NaN.
template <class L> struct Windows {
  typename L::Mask take_b, take_c, take_d;
  typename L::Value max;

  Windows(const float *upper, const float *lower) {
    typename L::Value a, b, c, d;
    L::load_pairs(upper, a, b);
    L::load_pairs(lower, c, d);
    take_b = L::greater_or_nan(b, a);
    auto best = L::select(take_b, b, a);
    take_c = L::greater_or_nan(c, best);
    best = L::select(take_c, c, best);
    take_d = L::greater_or_nan(d, best);
    max = L::select(take_d, d, best);
  }

  /// Routes `gradient` to each window's winner: the four places' gradients, row-major.
  void route(typename L::Value gradient, float *upper, float *lower) const {
    auto later = L::either(take_c, take_d);
    L::store_pairs(upper, L::drop(L::either(take_b, later), gradient), L::keep(L::and_not(take_b, later), gradient));
    L::store_pairs(lower, L::keep(L::and_not(take_c, take_d), gradient), L::keep(take_d, gradient));
  }
};

/// The maxima of windows `first` to `last` of the row pair `upper`, `lower` into `out`.
template <class L>
void pool_windows(const float *upper, const float *lower, float *out, int64_t first, int64_t last) {
  for (int64_t j = first; j < last; j += L::kWindows) L::store(out + j, Windows<L>(upper + 2 * j, lower + 2 * j).max);
}

/// The input gradient of windows `first` to `last` of the row pair `upper`, `lower` from their
/// output gradients `gradient`, into `upper_out`, `lower_out`.
template <class L>
void route_windows(const float *upper, const float *lower, const float *gradient, float *upper_out, float *lower_out,
                   int64_t first, int64_t last) {
  for (int64_t j = first; j < last; j += L::kWindows)
    Windows<L>(upper + 2 * j, lower + 2 * j).route(L::load(gradient + j), upper_out + 2 * j, lower_out + 2 * j);
}

void check_input(const at::Tensor &input) {
  TORCH_CHECK(input.dim() == 4 && input.device().is_cpu() && input.scalar_type() == at::kFloat &&
                  input.is_contiguous() && input.size(2) >= 2 && input.size(3) >= 2,
              "2×2 max pooling: the input must be a row-major 4-D float32 CPU tensor of at least 2×2 "
              "images, got ",
              input.sizes(), " ", input.scalar_type(), " on ", input.device());
}

} // namespace

mt_status mt_max_pool2x2(mt_tensor input, mt_tensor *out) {
  return guarded([&] {
    const auto &x = unwrap(input);
    check_input(x);
    Pooling pooling(x);
    auto y = at::empty({x.size(0), x.size(1), pooling.out_height, pooling.out_width}, x.options());
    const float *in = x.data_ptr<float>();
    float *pooled = y.data_ptr<float>();
    pooling.for_each_row([&](int64_t top, int64_t bottom, int64_t output) {
      pool_windows<Wide>(in + top, in + bottom, pooled + output, 0, pooling.wide_windows);
      pool_windows<Scalar>(in + top, in + bottom, pooled + output, pooling.wide_windows, pooling.out_width);
    });
    *out = wrap(y);
  });
}

mt_status mt_max_pool2x2_backward(mt_tensor grad_output, mt_tensor input, mt_tensor *grad_input) {
  return guarded([&] {
    const auto &x = unwrap(input);
    check_input(x);
    Pooling pooling(x);
    auto g = unwrap(grad_output).contiguous();
    TORCH_CHECK(g.scalar_type() == at::kFloat && g.device().is_cpu() && g.dim() == 4 &&
                    g.size(0) == x.size(0) && g.size(1) == x.size(1) && g.size(2) == pooling.out_height &&
                    g.size(3) == pooling.out_width,
                "2×2 max pooling: output gradient ", g.sizes(), " does not match input ", x.sizes());
    auto dx = at::empty_like(x);
    const float *in = x.data_ptr<float>(), *gradient = g.data_ptr<float>();
    float *result = dx.data_ptr<float>();
    pooling.for_each_row([&](int64_t top, int64_t bottom, int64_t output) {
      route_windows<Wide>(in + top, in + bottom, gradient + output, result + top, result + bottom, 0,
                          pooling.wide_windows);
      route_windows<Scalar>(in + top, in + bottom, gradient + output, result + top, result + bottom,
                            pooling.wide_windows, pooling.out_width);
      if (pooling.width % 2) result[top + pooling.width - 1] = result[bottom + pooling.width - 1] = 0.0f;
    });
    if (pooling.height % 2) {
      // The last row of each plane, which no window reads.
      ctorch::parallel_for(0, pooling.planes, 64, [&](int64_t begin, int64_t end) {
        for (int64_t plane = begin; plane < end; ++plane)
          std::fill_n(result + (plane * pooling.height + pooling.height - 1) * pooling.width, pooling.width, 0.0f);
      });
    }
    *grad_input = wrap(dx);
  });
}
