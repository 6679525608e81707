#include "Guard.hpp"

#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <cstring>
#include <stdexcept>

using ctorch::guarded;
using ctorch::unwrap;
using ctorch::wrap;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

namespace {

std::vector<at::Tensor> tensors_of(const mt_tensor *handles, int64_t n) {
  std::vector<at::Tensor> tensors;
  tensors.reserve(n);
  for (int64_t k = 0; k < n; ++k) tensors.push_back(unwrap(handles[k]));
  return tensors;
}

/// Holds the Swift context of one custom-function application; releases it with the node.
struct SwiftContext : torch::CustomClassHolder {
  void *context;
  mt_function_callback forward;
  mt_function_callback backward;
  mt_release_callback release;
  SwiftContext(void *c, mt_function_callback f, mt_function_callback b, mt_release_callback r)
      : context(c), forward(f), backward(b), release(r) {}
  ~SwiftContext() override { release(context); }
};

AutogradContext *context_of(mt_autograd_context autograd) { return reinterpret_cast<AutogradContext *>(autograd); }

/// Calls a Swift callback on `tensors`, turning a Swift failure into a C++ exception.
variable_list call_swift(mt_function_callback callback, void *context, AutogradContext *ctx,
                         const variable_list &tensors) {
  std::vector<mt_tensor> handles;
  handles.reserve(tensors.size());
  for (const auto &tensor : tensors) handles.push_back(tensor.defined() ? wrap(tensor) : nullptr);
  mt_list_s out;
  int32_t status = callback(context, reinterpret_cast<mt_autograd_context>(ctx), handles.data(),
                            static_cast<int64_t>(handles.size()), &out);
  for (auto handle : handles) delete handle;
  if (status != 0) throw std::runtime_error(ctorch::last_error());
  return out.tensors;
}

struct SwiftFunction : torch::autograd::Function<SwiftFunction> {
  // The inputs arrive as a TensorList: autograd treats an ArrayRef of tensors as variable
  // inputs, but a std::vector as one opaque non-tensor argument (no graph would be recorded).
  static variable_list forward(AutogradContext *ctx, at::TensorList inputs,
                               c10::intrusive_ptr<SwiftContext> swift) {
    ctx->saved_data["swift"] = c10::IValue::make_capsule(swift);
    return call_swift(swift->forward, swift->context, ctx, inputs.vec());
  }

  static variable_list backward(AutogradContext *ctx, variable_list grad_outputs) {
    auto swift = ctx->saved_data["swift"].toCapsule();
    auto *holder = static_cast<SwiftContext *>(swift.get());
    auto grads = call_swift(holder->backward, holder->context, ctx, grad_outputs);
    grads.push_back(at::Tensor()); // no gradient for the context argument
    return grads;
  }
};

} // namespace

extern "C" {

mt_status mt_tensor_requires_grad(mt_tensor t, bool *out) {
  return guarded([&] { *out = unwrap(t).requires_grad(); });
}

mt_status mt_tensor_set_requires_grad(mt_tensor t, bool value) {
  return guarded([&] { t->tensor.set_requires_grad(value); });
}

mt_status mt_tensor_grad(mt_tensor t, mt_tensor *out) {
  return guarded([&] {
    const auto &grad = unwrap(t).grad();
    *out = grad.defined() ? wrap(grad) : nullptr;
  });
}

mt_status mt_tensor_set_grad(mt_tensor t, mt_tensor grad) {
  return guarded([&] { t->tensor.mutable_grad() = unwrap(grad); });
}

mt_status mt_tensor_grad_fn_name(mt_tensor t, char *buffer, size_t size) {
  return guarded([&] {
    const auto &fn = unwrap(t).grad_fn();
    std::string name = fn ? fn->name() : "";
    std::snprintf(buffer, size, "%s", name.c_str());
  });
}

mt_status mt_tensor_is_leaf(mt_tensor t, bool *out) {
  return guarded([&] { *out = unwrap(t).is_leaf(); });
}

mt_status mt_autograd_backward(const mt_tensor *outputs, const mt_tensor *grad_outputs, int64_t n,
                               bool retain_graph, bool create_graph) {
  return guarded([&] {
    torch::autograd::backward(tensors_of(outputs, n), grad_outputs ? tensors_of(grad_outputs, n) : variable_list{},
                              retain_graph, create_graph);
  });
}

mt_status mt_autograd_grad(const mt_tensor *outputs, const mt_tensor *grad_outputs, int64_t n,
                           const mt_tensor *inputs, int64_t ninputs, bool retain_graph, bool create_graph,
                           bool allow_unused, mt_list out) {
  return guarded([&] {
    out->tensors = torch::autograd::grad(tensors_of(outputs, n),
                                         tensors_of(inputs, ninputs),
                                         grad_outputs ? tensors_of(grad_outputs, n) : variable_list{},
                                         retain_graph, create_graph, allow_unused);
  });
}

mt_status mt_autograd_context_save(mt_autograd_context autograd, const mt_tensor *tensors, int64_t n) {
  return guarded([&] { context_of(autograd)->save_for_backward(tensors_of(tensors, n)); });
}

mt_status mt_autograd_context_saved(mt_autograd_context autograd, mt_list out) {
  return guarded([&] { out->tensors = context_of(autograd)->get_saved_variables(); });
}

bool mt_grad_mode_enabled(void) { return at::GradMode::is_enabled(); }
void mt_grad_mode_set(bool enabled) { at::GradMode::set_enabled(enabled); }

mt_status mt_custom_function_apply(const mt_tensor *inputs, int64_t n, void *context,
                                   mt_function_callback forward, mt_function_callback backward,
                                   mt_release_callback release, mt_list out) {
  // The holder owns the context from here on, so it is released exactly once,
  // whether the application succeeds (then with the autograd node) or fails.
  auto swift = c10::make_intrusive<SwiftContext>(context, forward, backward, release);
  return guarded([&] {
    auto tensors = tensors_of(inputs, n);
    out->tensors = SwiftFunction::apply(at::TensorList(tensors), std::move(swift));
  });
}
}
