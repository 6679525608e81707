import Foundation

/// Measures the peak memory of a stretch of work on one device: reset, run, read the peak.
public protocol MemoryMeter {
    /// Memory in use now, in bytes.
    var currentBytes: Int { get }
    /// The most memory in use since the last ``resetPeak()``, in bytes.
    var peakBytes: Int { get }
    /// Starts a new peak from the memory in use now.
    func resetPeak()
}

/// The meter for tensors on `device`: the caching allocator's statistics on CUDA, the process's
/// resident set on the CPU.
public func memoryMeter(for device: Device) -> any MemoryMeter {
    device.kind == .cuda ? CUDAMemoryMeter(device: device.index ?? 0) : ResidentMemoryMeter()
}

/// The process's resident set size (Linux): what a CPU memory budget is measured against, since
/// CPU tensors, the libraries and everything else the process holds live in it.
///
/// ``resetPeak()`` first hands the C allocator's free pages back to the system (`malloc_trim`), so a
/// peak reached earlier and since freed does not count again, then restarts the kernel's
/// high-water mark `VmHWM` from the current size by writing `5` to `/proc/self/clear_refs`.
public struct ResidentMemoryMeter: MemoryMeter {
    /// A meter of this process.
    public init() {}

    /// ``Torch/Runtime/residentMemoryBytes``.
    public var currentBytes: Int { Runtime.residentMemoryBytes }
    /// ``Torch/Runtime/peakResidentMemoryBytes``.
    public var peakBytes: Int { Runtime.peakResidentMemoryBytes }

    public func resetPeak() {
        _ = Self.mallocTrim?(0)
        // Without the file (not Linux, or a restricted /proc) the peak stays the process's lifetime peak.
        try? Data("5".utf8).write(to: URL(fileURLWithPath: "/proc/self/clear_refs"))
    }

    /// glibc's `malloc_trim`, looked up at run time: Swift's Glibc module does not export `<malloc.h>`.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = dlsym(nil, "malloc_trim").map {
        unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self)
    }
}

/// The CUDA caching allocator's bytes held by live tensors on one device (`torch.cuda.max_memory_allocated`).
public struct CUDAMemoryMeter: MemoryMeter {
    /// The CUDA device's index.
    public let device: Int

    /// A meter of CUDA device `device`.
    public init(device: Int) {
        self.device = device
    }

    public var currentBytes: Int { Runtime.memoryStats(cudaDevice: device)?.allocated ?? 0 }
    public var peakBytes: Int { Runtime.memoryStats(cudaDevice: device)?.peakAllocated ?? 0 }
    public func resetPeak() { Runtime.resetPeakMemoryStats(cudaDevice: device) }
}
