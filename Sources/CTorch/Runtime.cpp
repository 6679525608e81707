#include "Guard.hpp"

#include <ATen/DeviceAccelerator.h>
#include <ATen/Parallel.h>
#include <torch/version.h>

#include <dlfcn.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cstring>
#include <string>

using ctorch::guarded;

extern "C" {

const char *mt_torch_version(void) { return TORCH_VERSION; }

mt_status mt_torch_library_directory(char *buffer, size_t size) {
  return guarded([&] {
    Dl_info info;
    TORCH_CHECK(dladdr(reinterpret_cast<void *>(&at::get_num_threads), &info) != 0 && info.dli_fname,
                "cannot locate libtorch_cpu.so");
    std::string path(info.dli_fname);
    auto slash = path.rfind('/');
    std::snprintf(buffer, size, "%s", slash == std::string::npos ? "." : path.substr(0, slash).c_str());
  });
}

bool mt_cuda_is_available(void) {
  try {
    return at::hasCUDA();
  } catch (...) {
    return false;
  }
}

int64_t mt_cuda_device_count(void) {
  try {
    return at::hasCUDA() ? at::accelerator::deviceCount() : 0;
  } catch (...) {
    return 0;
  }
}

mt_status mt_accelerator_synchronize(int32_t index) {
  return guarded([&] { at::accelerator::synchronizeDevice(static_cast<c10::DeviceIndex>(index)); });
}

mt_status mt_accelerator_memory_stats(int32_t index, int64_t *allocated, int64_t *peak, int64_t *reserved) {
  return guarded([&] {
    auto stats = at::accelerator::getDeviceStats(static_cast<c10::DeviceIndex>(index));
    constexpr auto all = static_cast<size_t>(c10::CachingAllocator::StatType::AGGREGATE);
    *allocated = stats.allocated_bytes[all].current;
    *peak = stats.allocated_bytes[all].peak;
    *reserved = stats.reserved_bytes[all].current;
  });
}

mt_status mt_accelerator_reset_peak(int32_t index) {
  return guarded([&] { at::accelerator::resetPeakStats(static_cast<c10::DeviceIndex>(index)); });
}

void mt_keep_freed_heap_memory(void) {
#if defined(__GLIBC__)
  // glibc's default serves blocks from 128 KB up (its adaptive threshold rises to at most 32 MB)
  // by fresh mmap and returns freed heap tops beyond 128 KB: a tensor workload then faults in
  // and zeroes every activation's pages again on every step.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // the largest glibc accepts
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

int32_t mt_get_num_threads(void) { return at::get_num_threads(); }

void mt_set_num_threads(int32_t n) {
  try {
    at::set_num_threads(n);
  } catch (...) {
  }
}
void mt_set_deterministic(bool enabled, bool warn_only) {
  at::globalContext().setDeterministicAlgorithms(enabled, warn_only);
}
bool mt_get_deterministic(void) { return at::globalContext().deterministicAlgorithms(); }
}
