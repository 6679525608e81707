// Parallel loops for the shim's kernels, on libtorch's own intra-op threads.
#pragma once

#include <cstdint>

namespace ctorch {

/// The loop body's type-erased form: `call(body, begin, end)`.
struct LoopBody {
  void *body;
  void (*call)(void *body, int64_t begin, int64_t end);
};

/// ``parallel_for``'s implementation.
void parallel_for(int64_t begin, int64_t end, int64_t grain, LoopBody body);

/// `at::parallel_for(begin, end, grain, body)` as libtorch runs it: `body(first, last)` on
/// consecutive chunks of [begin, end), one per intra-op thread (at most one per `grain`
/// iterations), serially inside a parallel region or with one thread. The first exception a
/// chunk throws is rethrown once all have finished.
///
/// at::parallel_for itself cannot be used here: it is a header template whose parallel region is
/// an `#pragma omp parallel`, which this target, compiled by SwiftPM's clang without OpenMP, runs
/// serially. Clang's OpenMP code would call LLVM's runtime, a second thread pool spinning against
/// the GNU one libtorch's Linux builds use. So the team is started through libtorch's own
/// runtime: `GOMP_parallel`, the call GCC emits for that pragma, looked up when first needed, on
/// the same threads and thread count as libtorch's operators. Without it the loop runs serially.
template <class Body> void parallel_for(int64_t begin, int64_t end, int64_t grain, const Body &body) {
  parallel_for(begin, end, grain,
               LoopBody{const_cast<Body *>(&body), [](void *erased, int64_t first, int64_t last) {
                          (*static_cast<const Body *>(erased))(first, last);
                        }});
}

} // namespace ctorch
