#include "Guard.hpp"

#include <ATen/CPUGeneratorImpl.h>

using ctorch::guarded;
using ctorch::unwrap;
using ctorch::wrap;

extern "C" {

void mt_manual_seed(uint64_t seed) {
  try {
    at::manual_seed(seed);
  } catch (...) {
  }
}

mt_status mt_generator_new(uint64_t seed, mt_generator *out) {
  return guarded([&] { *out = new mt_generator_s{at::make_generator<at::CPUGeneratorImpl>(seed)}; });
}

mt_status mt_generator_default(mt_generator *out) {
  return guarded([&] { *out = new mt_generator_s{at::detail::getDefaultCPUGenerator()}; });
}

void mt_generator_free(mt_generator g) { delete g; }

mt_status mt_generator_set_seed(mt_generator g, uint64_t seed) {
  return guarded([&] {
    std::lock_guard<std::mutex> lock(g->generator.mutex());
    g->generator.set_current_seed(seed);
  });
}

mt_status mt_generator_seed(mt_generator g, uint64_t *out) {
  return guarded([&] { *out = g->generator.current_seed(); });
}

mt_status mt_generator_get_state(mt_generator g, mt_tensor *out) {
  return guarded([&] {
    std::lock_guard<std::mutex> lock(g->generator.mutex());
    *out = wrap(g->generator.get_state());
  });
}

mt_status mt_generator_set_state(mt_generator g, mt_tensor state) {
  return guarded([&] {
    std::lock_guard<std::mutex> lock(g->generator.mutex());
    g->generator.set_state(unwrap(state));
  });
}
}
