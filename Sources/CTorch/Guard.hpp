// The exception boundary shared by every CTorch entry point.
#pragma once

#include <ATen/ATen.h>

#include <exception>
#include <string>

#include "CTorch.h"

struct mt_tensor_s {
  at::Tensor tensor;
};
struct mt_list_s {
  std::vector<at::Tensor> tensors;
};
struct mt_generator_s {
  at::Generator generator;
};

namespace ctorch {

/// This thread's last failure message.
std::string &last_error();
/// Whether a failure is recorded (the message can legitimately be empty).
bool &has_error();
void record_error(const char *message);

inline mt_tensor wrap(at::Tensor tensor) { return new mt_tensor_s{std::move(tensor)}; }
inline const at::Tensor &unwrap(mt_tensor t) {
  static const at::Tensor undefined;
  return t ? t->tensor : undefined;
}

/// Runs `body`; converts any C++ exception into a recorded error and status 1.
template <class Body> mt_status guarded(Body &&body) noexcept {
  try {
    body();
    return 0;
  } catch (const c10::Error &e) {
    record_error(e.what_without_backtrace());
  } catch (const std::exception &e) {
    record_error(e.what());
  } catch (...) {
    record_error("unknown C++ exception");
  }
  return 1;
}

} // namespace ctorch
