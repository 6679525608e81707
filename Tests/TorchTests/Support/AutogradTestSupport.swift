#if canImport(Glibc)
    import Glibc
#endif

import Testing

@testable import Torch
import TorchTestSupport

/// `sum(a * b)`: a scalar loss whose gradient with respect to `a` is `b`.
func weightedSum(_ a: Tensor, _ b: Tensor) -> Tensor { (a * b).sum() }

/// How many tensors a leak check may see beyond its baseline without blaming the code under
/// test: `Tensor.liveTensorCount` is process-wide and swift-testing runs other suites
/// concurrently, each holding at most a few dozen tensors at a time. A per-iteration leak in
/// a loop of thousands of iterations exceeds it many times over.
let concurrentTensorSlack = 500

/// The process's resident set size in bytes.
func residentBytes() -> Int { Runtime.residentMemoryBytes }
