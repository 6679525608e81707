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

/// The process's resident set size in bytes (`/proc/self/statm`, second field, in pages).
func residentBytes() -> Int {
    guard let file = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    guard fgets(&line, Int32(line.count), file) != nil else { return 0 }
    let fields = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        .split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}
