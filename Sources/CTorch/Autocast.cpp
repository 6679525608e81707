// Autocast (automatic mixed precision) state: thin forwards to at::autocast.
#include "Guard.hpp"

#include <ATen/autocast_mode.h>

using ctorch::guarded;

extern "C" {

mt_status mt_autocast_is_enabled(int32_t device_type, bool *out) {
  return guarded([&] { *out = at::autocast::is_autocast_enabled(static_cast<at::DeviceType>(device_type)); });
}

mt_status mt_autocast_set_enabled(int32_t device_type, bool enabled) {
  return guarded([&] { at::autocast::set_autocast_enabled(static_cast<at::DeviceType>(device_type), enabled); });
}

mt_status mt_autocast_get_dtype(int32_t device_type, int32_t *out) {
  return guarded([&] {
    *out = static_cast<int32_t>(at::autocast::get_autocast_dtype(static_cast<at::DeviceType>(device_type)));
  });
}

mt_status mt_autocast_set_dtype(int32_t device_type, int32_t scalar_type) {
  return guarded([&] {
    at::autocast::set_autocast_dtype(static_cast<at::DeviceType>(device_type),
                                     static_cast<at::ScalarType>(scalar_type));
  });
}

mt_status mt_autocast_increment_nesting(int32_t *out) {
  return guarded([&] { *out = at::autocast::increment_nesting(); });
}

mt_status mt_autocast_decrement_nesting(int32_t *out) {
  return guarded([&] { *out = at::autocast::decrement_nesting(); });
}

mt_status mt_autocast_clear_cache(void) {
  return guarded([&] { at::autocast::clear_cache(); });
}

} // extern "C"
