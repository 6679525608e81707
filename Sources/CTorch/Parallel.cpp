// ctorch::parallel_for on libtorch's GNU OpenMP thread team (see Parallel.hpp).
#include "Parallel.hpp"
#include "Guard.hpp"

#include <ATen/Parallel.h>
#include <c10/util/ParallelGuard.h>

#include <algorithm>
#include <atomic>
#include <dlfcn.h>
#include <exception>

namespace ctorch {
namespace {

/// The GNU OpenMP entry points libtorch's runtime exports, or null where the process has none.
struct GnuOpenMP {
  void (*parallel)(void (*function)(void *), void *data, unsigned threads, unsigned flags) = nullptr;
  int (*thread_number)() = nullptr;
  int (*team_size)() = nullptr;

  static const GnuOpenMP &loaded() {
    static const GnuOpenMP runtime = [] {
      GnuOpenMP found;
      found.parallel = reinterpret_cast<decltype(found.parallel)>(dlsym(RTLD_DEFAULT, "GOMP_parallel"));
      found.thread_number = reinterpret_cast<decltype(found.thread_number)>(dlsym(RTLD_DEFAULT, "omp_get_thread_num"));
      found.team_size = reinterpret_cast<decltype(found.team_size)>(dlsym(RTLD_DEFAULT, "omp_get_num_threads"));
      if (!found.parallel || !found.thread_number || !found.team_size) found = GnuOpenMP();
      return found;
    }();
    return runtime;
  }
};

/// What each thread of the team shares: the loop, and the first failure.
struct Loop {
  int64_t begin, end, grain;
  LoopBody body;
  const GnuOpenMP *runtime;
  std::atomic_flag failed = ATOMIC_FLAG_INIT;
  std::exception_ptr failure;
};

/// One team thread's share, chunked as at::parallel_for chunks.
void run_chunk(void *data) {
  auto &loop = *static_cast<Loop *>(data);
  int64_t threads = loop.runtime->team_size(), count = loop.end - loop.begin;
  if (loop.grain > 0) threads = std::min(threads, (count + loop.grain - 1) / loop.grain);
  int64_t thread = loop.runtime->thread_number(), chunk = (count + threads - 1) / threads;
  int64_t first = loop.begin + thread * chunk;
  if (first >= loop.end) return;
  try {
    at::internal::ThreadIdGuard thread_id(thread);
    c10::ParallelGuard guard(true);
    loop.body.call(loop.body.body, first, std::min(loop.end, first + chunk));
  } catch (...) {
    if (!loop.failed.test_and_set()) loop.failure = std::current_exception();
  }
}

} // namespace

void parallel_for(int64_t begin, int64_t end, int64_t grain, LoopBody body) {
  if (begin >= end) return;
  at::internal::lazy_init_num_threads();
  const GnuOpenMP &runtime = GnuOpenMP::loaded();
  int64_t count = end - begin;
  if (!runtime.parallel || count <= std::max<int64_t>(grain, 1) || at::in_parallel_region() ||
      at::get_num_threads() <= 1) {
    at::internal::ThreadIdGuard thread_id(0);
    c10::ParallelGuard guard(true);
    body.call(body.body, begin, end);
    return;
  }
  Loop loop{begin, end, grain, body, &runtime};
  runtime.parallel(run_chunk, &loop, 0, 0);  // 0 threads: the calling thread's count, as libtorch's pragma
  if (loop.failure) std::rethrow_exception(loop.failure);
}

} // namespace ctorch

mt_status mt_parallel_chunks(int64_t iterations, int64_t grain, int64_t *chunks) {
  return ctorch::guarded([&] {
    std::atomic<int64_t> count{0};
    ctorch::parallel_for(0, iterations, grain, [&](int64_t, int64_t) { count.fetch_add(1); });
    *chunks = count.load();
  });
}
