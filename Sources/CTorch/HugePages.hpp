// CPU tensors in transparent huge pages, for large buffers that are written once right away.
#pragma once

#include <ATen/ATen.h>

namespace ctorch {

/// An uninitialised CPU tensor whose memory is aligned to 2 MB and advised to the kernel as
/// transparent huge pages (`madvise(MADV_HUGEPAGE)`, as numpy does for large arrays): filling a
/// large fresh buffer then costs a few page faults instead of one per 4 KB page.
at::Tensor empty_huge_pages(at::IntArrayRef sizes, at::ScalarType type);

} // namespace ctorch
