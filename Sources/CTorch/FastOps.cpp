// Typed fast paths for the hottest element-wise operators: each op code forwards to
// the ATen function of the same name (which still dispatches through autograd).
#include "Guard.hpp"

#include <ATen/ScalarOps.h>

#include <cmath>

using ctorch::guarded;
using ctorch::unwrap;
using ctorch::wrap;

namespace {

at::Scalar scalar(mt_scalar s) { return s.is_integer ? at::Scalar(s.i) : at::Scalar(s.d); }

/// Whether `s` converts to `type` as ATen would convert it inside the kernel: to a float32
/// or float64 tensor's type when the result stays finite (or was not), to int64 from an integer.
bool converts_exactly(mt_scalar s, at::ScalarType type) {
  switch (type) {
  case at::kFloat: {
    double value = s.is_integer ? static_cast<double>(s.i) : s.d;
    return std::isfinite(static_cast<float>(value)) || !std::isfinite(value);
  }
  case at::kDouble: return true;
  case at::kLong: return s.is_integer;
  default: return false;
  }
}

/// The number as a 0-d CPU "wrapped number" tensor, as PyTorch's Python binding passes `x + 2`
/// and `2 / x`: it broadcasts, joins tensors on any device, and does not choose the result dtype.
/// Where the number converts exactly, it is made in `like`'s dtype right away: otherwise ATen
/// converts it in the kernel with a further dispatched `to`, which costs more than a small
/// operation itself.
at::Tensor wrapped_number(mt_scalar s, const at::Tensor &like) {
  auto type = like.scalar_type();
  auto number = converts_exactly(s, type) ? at::detail::scalar_tensor_static(scalar(s), type, at::kCPU)
                                          : c10::scalar_to_tensor(scalar(s));
  number.unsafeGetTensorImpl()->set_wrapped_number(true);
  return number;
}

/// Whether `op` has a `Scalar` overload worth keeping (pow's special-cases small exponents).
bool takes_scalar(int32_t op) {
  return op == MT_BINARY_POW || op == MT_BINARY_REMAINDER || op == MT_BINARY_FLOOR_DIVIDE;
}

[[noreturn]] void unsupported(const char *what, int32_t op) {
  TORCH_CHECK(false, what, ": operator code ", op, " has no such form");
}

at::Tensor binary(int32_t op, const at::Tensor &a, const at::Tensor &b) {
  switch (op) {
  case MT_BINARY_ADD: return at::add(a, b);
  case MT_BINARY_SUB: return at::sub(a, b);
  case MT_BINARY_MUL: return at::mul(a, b);
  case MT_BINARY_DIV: return at::div(a, b);
  case MT_BINARY_POW: return at::pow(a, b);
  case MT_BINARY_REMAINDER: return at::remainder(a, b);
  case MT_BINARY_FLOOR_DIVIDE: return at::floor_divide(a, b);
  case MT_BINARY_MAXIMUM: return at::maximum(a, b);
  case MT_BINARY_MINIMUM: return at::minimum(a, b);
  case MT_BINARY_ATAN2: return at::atan2(a, b);
  case MT_BINARY_EQ: return at::eq(a, b);
  case MT_BINARY_NE: return at::ne(a, b);
  case MT_BINARY_LT: return at::lt(a, b);
  case MT_BINARY_LE: return at::le(a, b);
  case MT_BINARY_GT: return at::gt(a, b);
  case MT_BINARY_GE: return at::ge(a, b);
  case MT_BINARY_LOGICAL_AND: return at::logical_and(a, b);
  case MT_BINARY_LOGICAL_OR: return at::logical_or(a, b);
  case MT_BINARY_LOGICAL_XOR: return at::logical_xor(a, b);
  }
  unsupported("mt_binary", op);
}

at::Tensor binary(int32_t op, const at::Tensor &a, const at::Scalar &s) {
  switch (op) {
  case MT_BINARY_POW: return at::pow(a, s);
  case MT_BINARY_REMAINDER: return at::remainder(a, s);
  case MT_BINARY_FLOOR_DIVIDE: return at::floor_divide(a, s);
  }
  unsupported("mt_binary_scalar", op);
}

void binary_(int32_t op, at::Tensor &a, const at::Tensor &b) {
  switch (op) {
  case MT_BINARY_ADD: a.add_(b); return;
  case MT_BINARY_SUB: a.sub_(b); return;
  case MT_BINARY_MUL: a.mul_(b); return;
  case MT_BINARY_DIV: a.div_(b); return;
  case MT_BINARY_POW: a.pow_(b); return;
  case MT_BINARY_REMAINDER: a.remainder_(b); return;
  case MT_BINARY_FLOOR_DIVIDE: a.floor_divide_(b); return;
  case MT_BINARY_ATAN2: a.atan2_(b); return;
  case MT_BINARY_EQ: a.eq_(b); return;
  case MT_BINARY_NE: a.ne_(b); return;
  case MT_BINARY_LT: a.lt_(b); return;
  case MT_BINARY_LE: a.le_(b); return;
  case MT_BINARY_GT: a.gt_(b); return;
  case MT_BINARY_GE: a.ge_(b); return;
  case MT_BINARY_LOGICAL_AND: a.logical_and_(b); return;
  case MT_BINARY_LOGICAL_OR: a.logical_or_(b); return;
  case MT_BINARY_LOGICAL_XOR: a.logical_xor_(b); return;
  }
  unsupported("mt_binary_", op);
}

void binary_(int32_t op, at::Tensor &a, const at::Scalar &s) {
  switch (op) {
  case MT_BINARY_POW: a.pow_(s); return;
  case MT_BINARY_REMAINDER: a.remainder_(s); return;
  case MT_BINARY_FLOOR_DIVIDE: a.floor_divide_(s); return;
  }
  unsupported("mt_binary_scalar_", op);
}

at::Tensor unary(int32_t op, const at::Tensor &a) {
  switch (op) {
  case MT_UNARY_NEG: return at::neg(a);
  case MT_UNARY_ABS: return at::abs(a);
  case MT_UNARY_SQRT: return at::sqrt(a);
  case MT_UNARY_RSQRT: return at::rsqrt(a);
  case MT_UNARY_EXP: return at::exp(a);
  case MT_UNARY_EXPM1: return at::expm1(a);
  case MT_UNARY_LOG: return at::log(a);
  case MT_UNARY_LOG1P: return at::log1p(a);
  case MT_UNARY_LOG2: return at::log2(a);
  case MT_UNARY_LOG10: return at::log10(a);
  case MT_UNARY_SIN: return at::sin(a);
  case MT_UNARY_COS: return at::cos(a);
  case MT_UNARY_TAN: return at::tan(a);
  case MT_UNARY_ASIN: return at::asin(a);
  case MT_UNARY_ACOS: return at::acos(a);
  case MT_UNARY_ATAN: return at::atan(a);
  case MT_UNARY_SINH: return at::sinh(a);
  case MT_UNARY_COSH: return at::cosh(a);
  case MT_UNARY_TANH: return at::tanh(a);
  case MT_UNARY_SIGMOID: return at::sigmoid(a);
  case MT_UNARY_RELU: return at::relu(a);
  case MT_UNARY_SIGN: return at::sign(a);
  case MT_UNARY_FLOOR: return at::floor(a);
  case MT_UNARY_CEIL: return at::ceil(a);
  case MT_UNARY_ROUND: return at::round(a);
  case MT_UNARY_TRUNC: return at::trunc(a);
  case MT_UNARY_RECIPROCAL: return at::reciprocal(a);
  case MT_UNARY_SQUARE: return at::square(a);
  case MT_UNARY_ERF: return at::erf(a);
  case MT_UNARY_ISNAN: return at::isnan(a);
  case MT_UNARY_ISFINITE: return at::isfinite(a);
  case MT_UNARY_LOGICAL_NOT: return at::logical_not(a);
  }
  unsupported("mt_unary", op);
}

void unary_(int32_t op, at::Tensor &a) {
  switch (op) {
  case MT_UNARY_NEG: a.neg_(); return;
  case MT_UNARY_ABS: a.abs_(); return;
  case MT_UNARY_SQRT: a.sqrt_(); return;
  case MT_UNARY_RSQRT: a.rsqrt_(); return;
  case MT_UNARY_EXP: a.exp_(); return;
  case MT_UNARY_EXPM1: a.expm1_(); return;
  case MT_UNARY_LOG: a.log_(); return;
  case MT_UNARY_LOG1P: a.log1p_(); return;
  case MT_UNARY_LOG2: a.log2_(); return;
  case MT_UNARY_LOG10: a.log10_(); return;
  case MT_UNARY_SIN: a.sin_(); return;
  case MT_UNARY_COS: a.cos_(); return;
  case MT_UNARY_TAN: a.tan_(); return;
  case MT_UNARY_ASIN: a.asin_(); return;
  case MT_UNARY_ACOS: a.acos_(); return;
  case MT_UNARY_ATAN: a.atan_(); return;
  case MT_UNARY_SINH: a.sinh_(); return;
  case MT_UNARY_COSH: a.cosh_(); return;
  case MT_UNARY_TANH: a.tanh_(); return;
  case MT_UNARY_SIGMOID: a.sigmoid_(); return;
  case MT_UNARY_RELU: a.relu_(); return;
  case MT_UNARY_SIGN: a.sign_(); return;
  case MT_UNARY_FLOOR: a.floor_(); return;
  case MT_UNARY_CEIL: a.ceil_(); return;
  case MT_UNARY_ROUND: a.round_(); return;
  case MT_UNARY_TRUNC: a.trunc_(); return;
  case MT_UNARY_RECIPROCAL: a.reciprocal_(); return;
  case MT_UNARY_SQUARE: a.square_(); return;
  case MT_UNARY_ERF: a.erf_(); return;
  case MT_UNARY_LOGICAL_NOT: a.logical_not_(); return;
  }
  unsupported("mt_unary_", op);
}

} // namespace

extern "C" {

mt_status mt_binary(int32_t op, mt_tensor a, mt_tensor b, mt_tensor *out) {
  return guarded([&] { *out = wrap(binary(op, unwrap(a), unwrap(b))); });
}

mt_status mt_binary_scalar(int32_t op, mt_tensor a, mt_scalar s, bool reversed, mt_tensor *out) {
  return guarded([&] {
    const auto &tensor = unwrap(a);
    if (reversed) {
      *out = wrap(binary(op, wrapped_number(s, tensor), tensor));
    } else {
      *out = wrap(takes_scalar(op) ? binary(op, tensor, scalar(s)) : binary(op, tensor, wrapped_number(s, tensor)));
    }
  });
}

mt_status mt_binary_(int32_t op, mt_tensor a, mt_tensor b) {
  return guarded([&] { binary_(op, a->tensor, unwrap(b)); });
}

mt_status mt_binary_scalar_(int32_t op, mt_tensor a, mt_scalar s) {
  return guarded([&] {
    auto &tensor = a->tensor;
    if (takes_scalar(op)) {
      binary_(op, tensor, scalar(s));
    } else {
      binary_(op, tensor, wrapped_number(s, tensor));
    }
  });
}

mt_status mt_unary(int32_t op, mt_tensor a, mt_tensor *out) {
  return guarded([&] { *out = wrap(unary(op, unwrap(a))); });
}

mt_status mt_unary_(int32_t op, mt_tensor a) {
  return guarded([&] { unary_(op, a->tensor); });
}
}
