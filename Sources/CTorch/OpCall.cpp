// Calling any ATen operator by name through the c10 dispatcher (boxed), so the Swift
// side reaches the whole operator library, autograd included, through one entry point.
#include "Guard.hpp"

#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/core/stack.h>

struct mt_op_s {
  c10::OperatorHandle handle;
};

using ctorch::guarded;
using ctorch::unwrap;
using ctorch::wrap;

namespace {

c10::IValue to_ivalue(const mt_value &v) {
  switch (v.kind) {
  case MT_NONE:
    return c10::IValue();
  case MT_TENSOR:
    return c10::IValue(unwrap(v.t));
  case MT_INT:
    return c10::IValue(v.i);
  case MT_DOUBLE:
    return c10::IValue(v.d);
  case MT_BOOL:
    return c10::IValue(v.i != 0);
  case MT_COMPLEX:
    return c10::IValue(c10::complex<double>(v.d, v.d2));
  case MT_INT_LIST:
    return c10::IValue(std::vector<int64_t>(v.ints, v.ints + v.count));
  case MT_DOUBLE_LIST:
    return c10::IValue(std::vector<double>(v.doubles, v.doubles + v.count));
  case MT_BOOL_LIST: {
    c10::List<bool> list;
    for (int64_t k = 0; k < v.count; ++k) list.push_back(v.bools[k]);
    return c10::IValue(std::move(list));
  }
  case MT_TENSOR_LIST: {
    std::vector<at::Tensor> list;
    list.reserve(v.count);
    for (int64_t k = 0; k < v.count; ++k) list.push_back(unwrap(v.tensors[k]));
    return c10::IValue(std::move(list));
  }
  case MT_OPT_TENSOR_LIST: {
    c10::List<std::optional<at::Tensor>> list;
    for (int64_t k = 0; k < v.count; ++k) {
      if (v.tensors[k]) list.push_back(unwrap(v.tensors[k]));
      else list.push_back(std::nullopt);
    }
    return c10::IValue(std::move(list));
  }
  case MT_STRING:
    return c10::IValue(std::string(v.str));
  case MT_DEVICE:
    return c10::IValue(c10::Device(static_cast<c10::DeviceType>(v.i), static_cast<c10::DeviceIndex>(v.d)));
  case MT_GENERATOR:
    return c10::IValue(v.generator->generator);
  default:
    TORCH_CHECK(false, "mt_op_call: argument kind ", v.kind, " is not an input kind");
  }
}

void from_ivalue(const c10::IValue &value, mt_value &out) {
  out = mt_value{};
  if (value.isTensor()) {
    out.kind = MT_TENSOR;
    out.t = wrap(value.toTensor());
  } else if (value.isTensorList()) {
    out.kind = MT_TENSOR_LIST;
    out.list = mt_list_new();
    for (const at::Tensor &tensor : value.toTensorVector()) out.list->tensors.push_back(tensor);
  } else if (value.isInt()) {
    out.kind = MT_INT;
    out.i = value.toInt();
  } else if (value.isDouble()) {
    out.kind = MT_DOUBLE;
    out.d = value.toDouble();
  } else if (value.isBool()) {
    out.kind = MT_BOOL;
    out.i = value.toBool();
  } else if (value.isComplexDouble()) {
    out.kind = MT_COMPLEX;
    auto z = value.toComplexDouble();
    out.d = z.real();
    out.d2 = z.imag();
  } else if (value.isNone()) {
    out.kind = MT_NONE;
  } else {
    out.kind = MT_OTHER;
  }
}

} // namespace

extern "C" {

mt_status mt_op_find(const char *name, const char *overload, mt_op *out) {
  return guarded([&] {
    auto handle = c10::Dispatcher::singleton().findSchema({name, overload});
    TORCH_CHECK(handle.has_value(), "no ATen operator ", name, overload[0] ? "." : "", overload);
    *out = new mt_op_s{*handle};
  });
}

const char *mt_op_schema(mt_op op) {
  thread_local std::string text;
  try {
    text = c10::toString(op->handle.schema());
  } catch (...) {
    text.clear();
  }
  return text.c_str();
}

mt_status mt_op_call(mt_op op, const mt_value *args, int64_t nargs, mt_value *outs, int64_t max_outs,
                     int64_t *nouts) {
  return guarded([&] {
    const auto &schema = op->handle.schema();
    const auto &formals = schema.arguments();
    TORCH_CHECK(static_cast<size_t>(nargs) <= formals.size(), schema.name(), " takes ", formals.size(),
                " arguments, got ", nargs);
    torch::jit::Stack stack;
    stack.reserve(formals.size());
    for (size_t k = 0; k < formals.size(); ++k) {
      if (k < static_cast<size_t>(nargs) && args[k].kind != MT_DEFAULT) {
        stack.push_back(to_ivalue(args[k]));
      } else {
        const auto &fallback = formals[k].default_value();
        TORCH_CHECK(fallback.has_value(), schema.name(), ": argument '", formals[k].name(), "' has no default");
        stack.push_back(*fallback);
      }
    }
    op->handle.callBoxed(stack);
    TORCH_CHECK(static_cast<int64_t>(stack.size()) <= max_outs, schema.name(), " returned ", stack.size(),
                " values, room for ", max_outs);
    *nouts = static_cast<int64_t>(stack.size());
    for (size_t k = 0; k < stack.size(); ++k) from_ivalue(stack[k], outs[k]);
  });
}
}
