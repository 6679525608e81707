import CTorch

extension Tensor {
    /// A new contiguous CPU tensor of `shape` and `dtype` whose row-major bytes `body` writes.
    ///
    /// File readers decode straight into the tensor's memory with it, instead of into an
    /// array that `Tensor(bytes:shape:dtype:)` would then copy. `body` must write every byte.
    /// Tensors of 2 MB and more are backed by transparent huge pages (as numpy's large arrays
    /// are): writing a 35 MB volume into fresh 4 KB pages costs more page faults than decoding it.
    public static func filling(
        _ shape: [Int], dtype: DType, with body: (UnsafeMutableRawBufferPointer) throws -> Void
    ) rethrows -> Tensor {
        let tensor: Tensor
        if shape.reduce(1, *) * dtype.elementSize >= 2 << 20 {
            let sizes = shape.map(Int64.init)
            var handle: mt_tensor?
            check(mt_tensor_empty_huge_pages(sizes, Int64(sizes.count), dtype.rawValue, &handle))
            tensor = Tensor(owning: handle!)
        } else {
            tensor = Tensor.empty(shape, dtype: dtype, device: .cpu)
        }
        var pointer: UnsafeMutableRawPointer?
        check(mt_tensor_data_ptr(tensor.handle, &pointer))
        try body(UnsafeMutableRawBufferPointer(start: pointer, count: tensor.count * dtype.elementSize))
        return tensor
    }

    /// Calls `body` with the stored row-major bytes of this contiguous CPU tensor (those of a
    /// lazily conjugated view are the unconjugated values); valid only inside `body`. File
    /// readers check what they read with it without a copy or a libtorch op.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        precondition(
            device.kind == .cpu && isContiguous, "withUnsafeBytes: \(device) tensor, contiguous: \(isContiguous)")
        var pointer: UnsafeMutableRawPointer?
        check(mt_tensor_data_ptr(handle, &pointer))
        return try body(UnsafeRawBufferPointer(start: pointer, count: count * dtype.elementSize))
    }
}
