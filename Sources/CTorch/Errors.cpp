#include "Guard.hpp"

namespace ctorch {
std::string &last_error() {
  thread_local std::string message;
  return message;
}
bool &has_error() {
  thread_local bool flag = false;
  return flag;
}
void record_error(const char *message) {
  last_error() = message ? message : "";
  has_error() = true;
}
} // namespace ctorch

extern "C" {
const char *mt_last_error(void) { return ctorch::has_error() ? ctorch::last_error().c_str() : nullptr; }
void mt_clear_error(void) {
  ctorch::has_error() = false;
  ctorch::last_error().clear();
}
void mt_set_error(const char *message) { ctorch::record_error(message); }
}
