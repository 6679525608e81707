#include "Guard.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

using ctorch::guarded;
using ctorch::unwrap;
using ctorch::wrap;

extern "C" {

void mt_tensor_free(mt_tensor t) { delete t; }

mt_tensor mt_tensor_undefined(void) { return wrap(at::Tensor()); }

mt_status mt_tensor_share(mt_tensor t, mt_tensor *out) {
  return guarded([&] { *out = wrap(unwrap(t)); });
}

mt_status mt_tensor_from_data(const void *data, const int64_t *shape, int64_t ndim, int32_t scalar_type,
                              mt_tensor *out) {
  return guarded([&] {
    auto options = at::TensorOptions().dtype(static_cast<at::ScalarType>(scalar_type));
    auto tensor = at::empty(at::IntArrayRef(shape, ndim), options);
    if (tensor.nbytes() > 0) std::memcpy(tensor.data_ptr(), data, tensor.nbytes());
    *out = wrap(std::move(tensor));
  });
}

mt_status mt_tensor_empty_huge_pages(const int64_t *shape, int64_t ndim, int32_t scalar_type, mt_tensor *out) {
  return guarded([&] {
    auto options = at::TensorOptions().dtype(static_cast<at::ScalarType>(scalar_type));
    at::IntArrayRef sizes(shape, ndim);
    size_t bytes = c10::multiply_integers(sizes) * c10::elementSize(options.dtype().toScalarType());
    constexpr size_t huge_page = size_t(2) << 20;
    size_t rounded = std::max(huge_page, (bytes + huge_page - 1) / huge_page * huge_page);
    void *data = nullptr;
    TORCH_CHECK(posix_memalign(&data, huge_page, rounded) == 0, "cannot allocate ", bytes, " bytes");
    // Advice only: where the kernel has no transparent huge pages the buffer is ordinary memory.
    madvise(data, rounded, MADV_HUGEPAGE);
    *out = wrap(at::from_blob(data, sizes, [](void *p) { free(p); }, options));
  });
}

bool mt_tensor_is_defined(mt_tensor t) { return unwrap(t).defined(); }

mt_status mt_tensor_ndim(mt_tensor t, int64_t *out) {
  return guarded([&] { *out = unwrap(t).dim(); });
}

mt_status mt_tensor_sizes(mt_tensor t, int64_t *out) {
  return guarded([&] {
    auto sizes = unwrap(t).sizes();
    std::copy(sizes.begin(), sizes.end(), out);
  });
}

mt_status mt_tensor_strides(mt_tensor t, int64_t *out) {
  return guarded([&] {
    auto strides = unwrap(t).strides();
    std::copy(strides.begin(), strides.end(), out);
  });
}

mt_status mt_tensor_numel(mt_tensor t, int64_t *out) {
  return guarded([&] { *out = unwrap(t).numel(); });
}

mt_status mt_tensor_scalar_type(mt_tensor t, int32_t *out) {
  return guarded([&] { *out = static_cast<int32_t>(unwrap(t).scalar_type()); });
}

mt_status mt_tensor_device(mt_tensor t, int32_t *type, int32_t *index) {
  return guarded([&] {
    auto device = unwrap(t).device();
    *type = static_cast<int32_t>(device.type());
    *index = device.index();
  });
}

mt_status mt_tensor_is_contiguous(mt_tensor t, int32_t memory_format, bool *out) {
  return guarded([&] { *out = unwrap(t).is_contiguous(static_cast<at::MemoryFormat>(memory_format)); });
}

mt_status mt_tensor_copy_to(mt_tensor t, void *dst, size_t nbytes) {
  return guarded([&] {
    auto dense = unwrap(t).to(at::kCPU).contiguous();
    if (dense.is_conj()) dense = dense.resolve_conj();
    if (dense.is_neg()) dense = dense.resolve_neg();
    TORCH_CHECK(dense.nbytes() == nbytes, "copy_to: the tensor holds ", dense.nbytes(), " bytes, the buffer ",
                nbytes);
    if (nbytes > 0) std::memcpy(dst, dense.const_data_ptr(), nbytes);
  });
}

mt_status mt_tensor_data_ptr(mt_tensor t, void **out) {
  return guarded([&] { *out = unwrap(t).data_ptr(); });
}

mt_list mt_list_new(void) { return new mt_list_s{}; }
void mt_list_free(mt_list l) { delete l; }
void mt_list_push(mt_list l, mt_tensor t) { l->tensors.push_back(unwrap(t)); }
int64_t mt_list_size(mt_list l) { return static_cast<int64_t>(l->tensors.size()); }
mt_tensor mt_list_get(mt_list l, int64_t i) {
  if (i < 0 || i >= static_cast<int64_t>(l->tensors.size())) return nullptr;
  const auto &tensor = l->tensors[static_cast<size_t>(i)];
  return tensor.defined() ? wrap(tensor) : nullptr;
}
}
