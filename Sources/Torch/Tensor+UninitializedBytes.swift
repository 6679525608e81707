import CTorch

extension Tensor {
    /// A new contiguous CPU tensor of `shape` and `dtype` whose row-major bytes `body` writes.
    ///
    /// File readers decode straight into the tensor's memory with it, instead of into an
    /// array that `Tensor(bytes:shape:dtype:)` would then copy. `body` must write every byte.
    public static func filling(
        _ shape: [Int], dtype: DType, with body: (UnsafeMutableRawBufferPointer) throws -> Void
    ) rethrows -> Tensor {
        let tensor = Tensor.empty(shape, dtype: dtype, device: .cpu)
        var pointer: UnsafeMutableRawPointer?
        check(mt_tensor_data_ptr(tensor.handle, &pointer))
        try body(UnsafeMutableRawBufferPointer(start: pointer, count: tensor.count * dtype.elementSize))
        return tensor
    }
}
