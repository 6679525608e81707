// Batch or instance normalisation with batch statistics, an optional per-channel affine map and
// a (leaky) ReLU, fused, for float32 CPU tensors [N, C, *] in row-major layout; forward and
// backward.
//
// libtorch runs the three as separate passes over memory: statistics, normalisation, activation
// forward; activation, statistics of the gradient, input gradient backward. Here each channel
// (batch norm: its N runs of spatial values) or each (image, channel) (instance norm: one run) is
// one unit of parallel work, read once from memory and then again from the core's cache:
//
//   forward:  v = x·a + b with a = γσ̂, b = β − μ·a;  y = v > 0 ? v : slope·v,
//   backward: ∂v = v > 0 ? ∂y : slope·∂y (v recomputed from x, bit for bit as in forward),
//             ∂β = Σ ∂v,  ∂γ = σ̂·Σ ∂v·(x − μ),
//             ∂x = a·∂v − a·σ̂²·(x − μ)·mean(∂v·(x − μ)) − a·mean(∂v),
// μ and the biased variance σ² over the unit, σ̂ = 1/√(σ² + eps). Sums of float blocks are
// added up in double.
#include "Guard.hpp"
#include "Parallel.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

using ctorch::guarded;
using ctorch::unwrap;
using ctorch::wrap;

namespace {

// The loops over one run, built for AVX2 too and chosen at load time: libtorch's x86-64 builds
// require only SSE.
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define CTORCH_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CTORCH_VECTOR_CLONES
#endif

/// Float lanes of the partial sums: each lane adds every `kLanes`-th value.
constexpr int64_t kLanes = 16;
/// Values per float partial sum before it goes to double.
constexpr int64_t kBlock = 1024;

/// The units of normalisation of [N, C, S]: channels (each N runs of S values, C·S apart) or
/// (image, channel) pairs (one run of S values each).
struct Units {
  int64_t images, channels, spatial;
  bool per_image;

  int64_t count() const { return per_image ? images * channels : channels; }
  int64_t runs() const { return per_image ? 1 : images; }
  int64_t values() const { return runs() * spatial; }
  int64_t channel(int64_t unit) const { return per_image ? unit % channels : unit; }
  /// The offset of run `run` of `unit`.
  int64_t offset(int64_t unit, int64_t run) const {
    return per_image ? unit * spatial : (run * channels + unit) * spatial;
  }
};

/// The terms of two sums at one value.
struct Terms {
  float p, q;
};

/// Adds Σ p and Σ q over the `count` terms(i) to `first` and `second`: float partial sums in
/// ``kLanes`` lanes (which vectorise) over blocks of ``kBlock``, added in double.
template <class TermsAt>
[[gnu::always_inline]] inline void add_sums(int64_t count, TermsAt terms, double &first, double &second) {
  for (int64_t start = 0; start < count; start += kBlock) {
    const int64_t end = std::min(count, start + kBlock), whole = start + (end - start) / kLanes * kLanes;
    float p[kLanes] = {}, q[kLanes] = {};
    for (int64_t i = start; i < whole; i += kLanes)
      for (int64_t l = 0; l < kLanes; ++l) {
        const Terms t = terms(i + l);
        p[l] += t.p;
        q[l] += t.q;
      }
    for (int64_t i = whole; i < end; ++i) {
      const Terms t = terms(i);
      p[0] += t.p;
      q[0] += t.q;
    }
    for (int64_t l = 0; l < kLanes; ++l) {
      first += p[l];
      second += q[l];
    }
  }
}

/// Sums of (x − s) and (x − s)² over `count` values.
CTORCH_VECTOR_CLONES void add_shifted_moments(const float *__restrict x, int64_t count, float s, double &first,
                                              double &second) {
  add_sums(
      count,
      [&](int64_t i) {
        const float d = x[i] - s;
        return Terms{d, d * d};
      },
      first, second);
}

/// The pre-activation v = x·a + b: one function, so that forward and backward round alike.
inline float affine(float x, float a, float b) { return x * a + b; }

/// y = φ(x·a + b) over `count` values.
CTORCH_VECTOR_CLONES void normalize(const float *__restrict x, int64_t count, float a, float b, float slope,
                                    float *__restrict y) {
  for (int64_t i = 0; i < count; ++i) {
    const float v = affine(x[i], a, b);
    y[i] = v > 0 ? v : v * slope;
  }
}

/// Sums of ∂v and ∂v·(x − m) over `count` values.
CTORCH_VECTOR_CLONES void add_gradient_moments(const float *__restrict g, const float *__restrict x, int64_t count,
                                               float a, float b, float slope, float m, double &first,
                                               double &second) {
  add_sums(
      count,
      [&](int64_t i) {
        const float dv = affine(x[i], a, b) > 0 ? g[i] : g[i] * slope;
        return Terms{dv, dv * (x[i] - m)};
      },
      first, second);
}

/// ∂x = p·∂v + q·(x − m) + r over `count` values.
CTORCH_VECTOR_CLONES void input_gradient(const float *__restrict g, const float *__restrict x, int64_t count,
                                         float a, float b, float slope, float m, float p, float q, float r,
                                         float *__restrict out) {
  for (int64_t i = 0; i < count; ++i) {
    const float dv = affine(x[i], a, b) > 0 ? g[i] : g[i] * slope;
    out[i] = p * dv + q * (x[i] - m) + r;
  }
}

/// The map v = x·a + b of one unit from its rounded statistics, the same in forward and backward.
struct Coefficients {
  double inverse_std, scale;  // σ̂, γσ̂
  float a, b;

  Coefficients(float mean, float variance, const float *gamma, const float *beta, int64_t channel, double eps)
      : inverse_std(1.0 / std::sqrt(static_cast<double>(variance) + eps)),
        scale((gamma ? gamma[channel] : 1.0) * inverse_std), a(static_cast<float>(scale)),
        b(static_cast<float>((beta ? beta[channel] : 0.0) - mean * scale)) {}
};

Units checked_units(const at::Tensor &x, bool per_image) {
  TORCH_CHECK(x.dim() >= 2 && x.device().is_cpu() && x.scalar_type() == at::kFloat && x.is_contiguous(),
              "normalisation + activation: input must be a row-major float32 CPU tensor [N, C, ...], got ", x.sizes(),
              " ", x.scalar_type(), " strides ", x.strides());
  Units units{x.size(0), x.size(1), x.numel() / std::max<int64_t>(1, x.size(0) * x.size(1)), per_image};
  TORCH_CHECK(units.values() > 0, "normalisation + activation: input ", x.sizes(), " has nothing to normalise");
  return units;
}

/// The contiguous float32 [C] values of an optional affine parameter, or nullptr.
const float *channel_values(const std::optional<at::Tensor> &parameter, int64_t channels, const char *name) {
  if (!parameter) return nullptr;
  TORCH_CHECK(parameter->scalar_type() == at::kFloat && parameter->is_contiguous() && parameter->numel() == channels,
              "normalisation + activation: ", name, " must be ", channels, " contiguous float32 values, got ",
              parameter->sizes());
  return parameter->data_ptr<float>();
}

std::optional<at::Tensor> optional(mt_tensor tensor) {
  return tensor ? std::optional<at::Tensor>(unwrap(tensor)) : std::nullopt;
}

} // namespace

mt_status mt_norm_activation(mt_tensor input, mt_tensor weight, mt_tensor bias, bool per_image, double eps,
                             double negative_slope, mt_tensor *out, mt_tensor *mean, mt_tensor *variance) {
  return guarded([&] {
    const auto &x = unwrap(input);
    const auto units = checked_units(x, per_image);
    const auto gamma_tensor = optional(weight), beta_tensor = optional(bias);
    const float *gamma = channel_values(gamma_tensor, units.channels, "weight");
    const float *beta = channel_values(beta_tensor, units.channels, "bias");
    auto mean_tensor = at::empty({units.count()}, x.options());
    auto variance_tensor = at::empty({units.count()}, x.options());
    auto result = at::empty_like(x);
    const float *source = x.data_ptr<float>();
    float *target = result.data_ptr<float>(), *mu = mean_tensor.data_ptr<float>();
    float *var = variance_tensor.data_ptr<float>();
    const auto slope = static_cast<float>(negative_slope);
    const double values = static_cast<double>(units.values());
    ctorch::parallel_for(0, units.count(), 1, [&](int64_t begin, int64_t end) {
      for (int64_t unit = begin; unit < end; ++unit) {
        // Sums shifted by the unit's first value, which do not cancel when the values sit far
        // from zero against their spread.
        const float shift = source[units.offset(unit, 0)];
        double first = 0, second = 0;
        for (int64_t run = 0; run < units.runs(); ++run)
          add_shifted_moments(source + units.offset(unit, run), units.spatial, shift, first, second);
        const double shifted_mean = first / values;
        mu[unit] = static_cast<float>(shift + shifted_mean);
        var[unit] = static_cast<float>(std::max(0.0, second / values - shifted_mean * shifted_mean));
        const Coefficients k(mu[unit], var[unit], gamma, beta, units.channel(unit), eps);
        for (int64_t run = 0; run < units.runs(); ++run) {
          const auto offset = units.offset(unit, run);
          normalize(source + offset, units.spatial, k.a, k.b, slope, target + offset);
        }
      }
    });
    *out = wrap(result);
    *mean = wrap(mean_tensor);
    *variance = wrap(variance_tensor);
  });
}

mt_status mt_norm_activation_backward(mt_tensor grad_output, mt_tensor input, mt_tensor weight, mt_tensor bias,
                                      mt_tensor mean, mt_tensor variance, bool per_image, double eps,
                                      double negative_slope, mt_tensor *grad_input, mt_tensor *grad_weight,
                                      mt_tensor *grad_bias) {
  return guarded([&] {
    const auto &x = unwrap(input);
    const auto units = checked_units(x, per_image);
    const auto g = unwrap(grad_output).contiguous();
    TORCH_CHECK(g.sizes() == x.sizes() && g.scalar_type() == at::kFloat && g.device().is_cpu(),
                "normalisation + activation: output gradient ", g.sizes(), " ", g.scalar_type(),
                " does not match input ", x.sizes());
    const auto gamma_tensor = optional(weight), beta_tensor = optional(bias);
    const float *gamma = channel_values(gamma_tensor, units.channels, "weight");
    const float *beta = channel_values(beta_tensor, units.channels, "bias");
    const auto mu_tensor = unwrap(mean).contiguous(), var_tensor = unwrap(variance).contiguous();
    TORCH_CHECK(mu_tensor.numel() == units.count() && var_tensor.numel() == units.count(),
                "normalisation + activation: statistics do not match input ", x.sizes());
    const float *source = x.data_ptr<float>(), *gradient = g.data_ptr<float>();
    const float *mu = mu_tensor.data_ptr<float>(), *var = var_tensor.data_ptr<float>();
    auto result = at::empty_like(x);
    float *target = result.data_ptr<float>();
    // Per unit Σ ∂v and σ̂·Σ ∂v·(x − μ): the affine gradients, summed over the images for instance norm.
    auto sums = at::empty({units.count(), 2}, x.options().dtype(at::kDouble));
    double *unit_sums = sums.data_ptr<double>();
    const auto slope = static_cast<float>(negative_slope);
    const double values = static_cast<double>(units.values());
    ctorch::parallel_for(0, units.count(), 1, [&](int64_t begin, int64_t end) {
      for (int64_t unit = begin; unit < end; ++unit) {
        const float m = mu[unit];
        const Coefficients k(m, var[unit], gamma, beta, units.channel(unit), eps);
        double first = 0, second = 0;
        for (int64_t run = 0; run < units.runs(); ++run) {
          const auto offset = units.offset(unit, run);
          add_gradient_moments(gradient + offset, source + offset, units.spatial, k.a, k.b, slope, m, first, second);
        }
        unit_sums[2 * unit] = first;
        unit_sums[2 * unit + 1] = second * k.inverse_std;
        const auto q = static_cast<float>(-k.scale * k.inverse_std * k.inverse_std * second / values);
        const auto r = static_cast<float>(-k.scale * first / values);
        for (int64_t run = 0; run < units.runs(); ++run) {
          const auto offset = units.offset(unit, run);
          input_gradient(gradient + offset, source + offset, units.spatial, k.a, k.b, slope, m, k.a, q, r,
                         target + offset);
        }
      }
    });
    *grad_input = wrap(result);
    *grad_weight = nullptr;
    *grad_bias = nullptr;
    if (!gamma && !beta) return;
    // ∂γ[c] and ∂β[c]: the sums of the units of channel c.
    std::vector<double> weight_sums(units.channels, 0.0), bias_sums(units.channels, 0.0);
    for (int64_t unit = 0; unit < units.count(); ++unit) {
      weight_sums[units.channel(unit)] += unit_sums[2 * unit + 1];
      bias_sums[units.channel(unit)] += unit_sums[2 * unit];
    }
    auto weight_gradient = at::empty({units.channels}, x.options());
    auto bias_gradient = at::empty({units.channels}, x.options());
    for (int64_t c = 0; c < units.channels; ++c) {
      weight_gradient.data_ptr<float>()[c] = static_cast<float>(weight_sums[c]);
      bias_gradient.data_ptr<float>()[c] = static_cast<float>(bias_sums[c]);
    }
    if (gamma) *grad_weight = wrap(weight_gradient);
    if (beta) *grad_bias = wrap(bias_gradient);
  });
}
