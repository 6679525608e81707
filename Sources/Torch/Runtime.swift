import CTorch

#if canImport(Glibc)
    import Glibc
#endif

/// Facts about and settings of the libtorch runtime.
public enum Runtime {
    /// The libtorch version MRIKit was built against, e.g. `2.11.0`.
    public static var libtorchVersion: String { String(cString: mt_torch_version()) }

    /// The directory of the loaded `libtorch_cpu.so`.
    public static var libraryDirectory: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        check(mt_torch_library_directory(&buffer, buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Loads `libtorch_cuda.so` from libtorch's directory if it is there, registering the
    /// CUDA kernels. Returns whether CUDA is usable afterwards. Safe to call repeatedly.
    @discardableResult
    public static func loadCUDA() -> Bool {
        cudaLoad.value
    }

    private static let cudaLoad = CUDALoad()

    /// Whether a CUDA device can be used (loads `libtorch_cuda.so` on first use).
    public static var isCUDAAvailable: Bool { loadCUDA() }

    /// The number of CUDA devices (0 without CUDA).
    public static var cudaDeviceCount: Int { loadCUDA() ? Int(mt_cuda_device_count()) : 0 }

    /// The best device here: `cuda:0` when available, else the CPU.
    public static var preferredDevice: Device { isCUDAAvailable ? .cuda(0) : .cpu }

    /// Waits until all queued work on CUDA device `index` has finished (no-op on CPU-only machines).
    public static func synchronize(cudaDevice index: Int = 0) {
        guard isCUDAAvailable else { return }
        check(mt_accelerator_synchronize(Int32(index)))
    }

    /// Memory of the CUDA caching allocator on device `index`, in bytes.
    public struct MemoryStats: Sendable {
        /// Bytes held by live tensors now.
        public var allocated: Int
        /// The most bytes held by live tensors since the last reset.
        public var peakAllocated: Int
        /// Bytes the allocator has reserved from the driver.
        public var reserved: Int
    }

    /// The CUDA allocator's statistics for device `index` (`nil` without CUDA).
    public static func memoryStats(cudaDevice index: Int = 0) -> MemoryStats? {
        guard isCUDAAvailable else { return nil }
        var allocated: Int64 = 0
        var peak: Int64 = 0
        var reserved: Int64 = 0
        guard check(mt_accelerator_memory_stats(Int32(index), &allocated, &peak, &reserved)) else { return nil }
        return MemoryStats(allocated: Int(allocated), peakAllocated: Int(peak), reserved: Int(reserved))
    }

    /// Resets the peak of `memoryStats` on CUDA device `index`.
    public static func resetPeakMemoryStats(cudaDevice index: Int = 0) {
        guard isCUDAAvailable else { return }
        check(mt_accelerator_reset_peak(Int32(index)))
    }

    /// Tunes the C allocator for tensor workloads, process-wide: with glibc's defaults, every CPU
    /// tensor from 128 KB to 32 MB (a 2-D U-Net's activations) is fresh `mmap` memory, so each
    /// training step page-faults and zeroes all of its activations again. Afterwards blocks up to
    /// 32 MB come from the heap and freed memory up to 1 GB stays with the process for the next
    /// step: a fastMRI U-Net or 2-D U-Net CPU training step takes 10–15% less time, at the same
    /// peak resident memory. `MemoryMeter.resetPeak()` still hands free pages back
    /// (`malloc_trim`). `mrikit` calls this at start; a no-op on other C libraries.
    public static func keepFreedHeapMemory() {
        mt_keep_freed_heap_memory()
    }

    /// How many chunks the shim's own kernels (Winograd, fused normalisation, pooling, layout
    /// copies) split a loop of `iterations` into, at most one per `grain` iterations: the thread
    /// count where the shim found libtorch's OpenMP runtime, 1 where not.
    static func shimParallelChunks(iterations: Int, grain: Int) -> Int {
        var chunks: Int64 = 0
        check(mt_parallel_chunks(Int64(iterations), Int64(grain), &chunks))
        return Int(chunks)
    }

    /// The number of threads libtorch's CPU kernels use (`torch.get_num_threads`).
    public static var threadCount: Int {
        get { Int(mt_get_num_threads()) }
        set { mt_set_num_threads(Int32(newValue)) }
    }

    /// Whether only deterministic algorithms may run (`torch.use_deterministic_algorithms`).
    public static var deterministicAlgorithms: Bool {
        get { mt_get_deterministic() }
        set { mt_set_deterministic(newValue, false) }
    }
}

/// Loads libtorch_cuda once per process.
private final class CUDALoad: Sendable {
    let value: Bool

    init() {
        let path = Runtime.libraryDirectory + "/libtorch_cuda.so"
        guard access(path, R_OK) == 0, dlopen(path, RTLD_NOW | RTLD_GLOBAL) != nil else {
            value = false
            return
        }
        value = mt_cuda_is_available()
    }
}
