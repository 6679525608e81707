// libtorch's (Kineto) operator profiler, CPU activity only: per-operator call counts and
// inclusive times, as `torch.profiler`'s key_averages() "CPU total" column reports them.
#include "Guard.hpp"

#include <torch/csrc/autograd/profiler_kineto.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <vector>

using ctorch::guarded;

namespace {
namespace profiler = torch::autograd::profiler;
namespace impl = torch::profiler::impl;

const std::set<impl::ActivityType> kActivities{impl::ActivityType::CPU};
} // namespace

extern "C" {

mt_status mt_profiler_start(void) {
  return guarded([&] {
    impl::ProfilerConfig config(impl::ProfilerState::KINETO);
    profiler::prepareProfiler(config, kActivities);
    profiler::enableProfiler(config, kActivities);
  });
}

mt_status mt_profiler_stop(char *buffer, size_t size) {
  return guarded([&] {
    auto result = profiler::disableProfiler();
    std::map<std::string, std::pair<int64_t, uint64_t>> totals;
    for (const auto &event : result->events()) {
      auto &total = totals[event.name()];
      total.first += 1;
      total.second += event.durationNs();
    }
    std::vector<std::pair<std::string, std::pair<int64_t, uint64_t>>> rows(totals.begin(), totals.end());
    std::sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) { return a.second.second > b.second.second; });
    std::string text;
    for (const auto &row : rows) {
      text += row.first + "\t" + std::to_string(row.second.first) + "\t" + std::to_string(row.second.second) + "\n";
    }
    // Whole lines only: a table cut mid-line would misreport its last operator.
    if (text.size() >= size) text.resize(text.rfind('\n', size > 1 ? size - 2 : 0) + 1);
    std::memcpy(buffer, text.c_str(), text.size() + 1);
  });
}
}
