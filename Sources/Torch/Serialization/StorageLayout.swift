/// Sizes and strides of dense tensors in stored files.
enum StorageLayout {
    /// The number of elements of `shape`, or nil when a size is negative or the product overflows.
    static func elementCount(_ shape: [Int]) -> Int? {
        var total = 1
        for size in shape {
            guard size >= 0 else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: size)
            guard !overflow else { return nil }
            total = product
        }
        return total
    }

    /// Row-major (contiguous) strides of `shape`, in elements.
    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        for dim in shape.indices.dropLast().reversed() { strides[dim] = strides[dim + 1] * max(shape[dim + 1], 1) }
        return strides
    }
}
