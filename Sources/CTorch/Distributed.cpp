// c10d process groups: a TCPStore rendezvous and Gloo collectives on lists of tensors.
//
// The torch wheel ships c10d's headers and symbols but not Gloo's headers, which
// ProcessGroupGloo.hpp includes: they come from Debian's libgloo-dev. Only pointers to
// Gloo types are laid out in ProcessGroupGloo, so its layout does not depend on the
// Gloo version of those headers.
#define USE_C10D_GLOO 1

#include "Guard.hpp"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/reducer.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

using ctorch::guarded;
using ctorch::unwrap;

struct mt_process_group_s {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::Backend> backend;
  c10::intrusive_ptr<c10d::ProcessGroup> group; // the backend behind the front end Reducer takes
  int rank;
  int size;
};
struct mt_reducer_s {
  std::unique_ptr<c10d::Reducer> reducer;
};

namespace {

/// Tensors in order, split into runs of one dtype whose bytes stay within `capacity`
/// (a run holds at least one tensor): each run travels as one flat buffer.
std::vector<std::vector<at::Tensor>> buckets(const std::vector<at::Tensor> &tensors, int64_t capacity) {
  std::vector<std::vector<at::Tensor>> result;
  int64_t bytes = 0;
  for (const auto &tensor : tensors) {
    int64_t size = tensor.numel() * static_cast<int64_t>(tensor.element_size());
    bool fits = !result.empty() && result.back().front().scalar_type() == tensor.scalar_type() &&
                result.back().front().device() == tensor.device() && bytes + size <= capacity;
    if (!fits) {
      result.emplace_back();
      bytes = 0;
    }
    result.back().push_back(tensor);
    bytes += size;
  }
  return result;
}

std::vector<at::Tensor> tensors_of(const mt_tensor *tensors, int64_t n) {
  std::vector<at::Tensor> result;
  result.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const auto &tensor = unwrap(tensors[i]);
    TORCH_CHECK(tensor.defined(), "collective on an undefined tensor (position ", i, ")");
    result.push_back(tensor);
  }
  return result;
}

/// Runs `collective` on one flat buffer per bucket (all started before any is awaited,
/// so buckets travel back to back), then copies the results back into `tensors`.
template <class Collective>
void bucketed(const std::vector<at::Tensor> &tensors, int64_t capacity, Collective &&collective) {
  at::NoGradGuard no_grad;
  auto groups = buckets(tensors, capacity);
  std::vector<std::vector<at::Tensor>> flats;
  std::vector<c10::intrusive_ptr<c10d::Work>> works;
  for (const auto &group : groups) {
    std::vector<at::Tensor> pieces;
    for (const auto &tensor : group) pieces.push_back(tensor.reshape({-1}));
    flats.push_back({at::cat(pieces)});
    works.push_back(collective(flats.back()));
  }
  for (size_t b = 0; b < groups.size(); ++b) {
    works[b]->wait();
    int64_t offset = 0;
    for (auto &tensor : groups[b]) {
      tensor.copy_(flats[b][0].narrow(0, offset, tensor.numel()).view(tensor.sizes()));
      offset += tensor.numel();
    }
  }
}

/// The network device Gloo binds to, chosen as torch.distributed does: GLOO_SOCKET_IFNAME's
/// interface, the loopback address when the master is local, else this host's address.
std::shared_ptr<::gloo::transport::Device> device(const std::string &master_address) {
  if (const char *interface = std::getenv("GLOO_SOCKET_IFNAME"); interface && *interface) {
    return c10d::ProcessGroupGloo::createDeviceForInterface(interface);
  }
  if (master_address == "localhost" || master_address.rfind("127.", 0) == 0) {
    return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  }
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

} // namespace

extern "C" {

mt_status mt_process_group_new(const char *backend, const char *master_address, int32_t master_port,
                               int32_t rank, int32_t world_size, int64_t timeout_ms,
                               mt_process_group *out) {
  return guarded([&] {
    std::string name(backend);
    TORCH_CHECK(name == "gloo", "the ", name, " backend is not built into MRIKit (available: gloo)");
    TORCH_CHECK(world_size > 0 && rank >= 0 && rank < world_size, "rank ", rank, " is not in 0..<", world_size);
    auto timeout = std::chrono::milliseconds(timeout_ms);
    c10d::TCPStoreOptions options;
    options.port = static_cast<uint16_t>(master_port);
    options.isServer = rank == 0;
    options.numWorkers = world_size;
    options.waitWorkers = false;
    options.timeout = timeout;
    auto store = c10::make_intrusive<c10d::TCPStore>(std::string(master_address), options);
    auto gloo = c10d::ProcessGroupGloo::Options::create(timeout);
    gloo->devices.push_back(device(master_address));
    auto backend = c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, world_size, gloo);
    auto group = c10::make_intrusive<c10d::ProcessGroup>(store, rank, world_size);
    group->setDefaultBackend(c10d::ProcessGroup::BackendType::GLOO);
    group->setBackend(c10::DeviceType::CPU, c10d::ProcessGroup::BackendType::GLOO, backend);
    *out = new mt_process_group_s{store, backend, group, rank, world_size};
  });
}

void mt_process_group_free(mt_process_group group) { delete group; }

mt_status mt_process_group_all_reduce(mt_process_group group, const mt_tensor *tensors, int64_t n,
                                      bool average, int64_t bucket_bytes) {
  return guarded([&] {
    auto list = tensors_of(tensors, n);
    bucketed(list, bucket_bytes, [&](std::vector<at::Tensor> &flat) {
      // Gloo has no averaging reduction: as DDP does, each rank divides before the sum.
      if (average) flat[0].div_(group->size);
      return group->backend->allreduce(flat, c10d::AllreduceOptions{});
    });
  });
}

mt_status mt_process_group_broadcast(mt_process_group group, const mt_tensor *tensors, int64_t n, int32_t root,
                                     int64_t bucket_bytes) {
  return guarded([&] {
    TORCH_CHECK(root >= 0 && root < group->size, "root rank ", root, " is not in 0..<", group->size);
    auto list = tensors_of(tensors, n);
    c10d::BroadcastOptions options;
    options.rootRank = root;
    bucketed(list, bucket_bytes, [&](std::vector<at::Tensor> &flat) { return group->backend->broadcast(flat, options); });
  });
}

mt_status mt_process_group_barrier(mt_process_group group) {
  return guarded([&] { group->backend->barrier(c10d::BarrierOptions{})->wait(); });
}

mt_status mt_reducer_new(mt_process_group group, const mt_tensor *parameters, const char *const *names, int64_t n,
                         int64_t bucket_bytes, bool find_unused_parameters, mt_reducer *out) {
  return guarded([&] {
    auto list = tensors_of(parameters, n);
    std::unordered_map<size_t, std::string> named;
    for (int64_t i = 0; names && i < n; ++i) named[static_cast<size_t>(i)] = names[i];
    std::vector<bool> sparse(list.size(), false);
    auto buckets = std::get<0>(c10d::compute_bucket_assignment_by_size(
        list, {static_cast<size_t>(bucket_bytes)}, sparse));
    // As DDP does: gradients arrive roughly in reverse order of definition, so the last
    // parameters' bucket goes first.
    std::reverse(buckets.begin(), buckets.end());
    auto reducer = std::make_unique<c10d::Reducer>(
        list, buckets, group->group, sparse, bucket_bytes, find_unused_parameters,
        /*gradient_as_bucket_view=*/false, std::move(named), bucket_bytes,
        /*skip_all_reduce_unused_params=*/false, /*use_python_reducer=*/false, std::vector<int64_t>{});
    *out = new mt_reducer_s{std::move(reducer)};
  });
}

void mt_reducer_free(mt_reducer reducer) {
  // ~Reducer may throw (noexcept(false)); nothing can be done about it while freeing.
  try {
    delete reducer;
  } catch (...) {
  }
}

mt_status mt_reducer_prepare_for_backward(mt_reducer reducer, const mt_tensor *outputs, int64_t n) {
  return guarded([&] { reducer->reducer->prepare_for_backward(tensors_of(outputs, n)); });
}

mt_status mt_reducer_check_finalized(mt_reducer reducer) {
  return guarded([&] { reducer->reducer->check_finalized(); });
}

} // extern "C"
