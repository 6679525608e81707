extension Tensor {
    /// Whether this contiguous CPU tensor (as file readers return) holds a NaN; integer and bool
    /// tensors never do.
    ///
    /// float32 and complex64 (fastMRI's k-space and targets) are scanned in place rather than with
    /// `isnan().any()`: readers run on data-loader worker threads, where a libtorch reduction
    /// opens an OpenMP parallel region per sample; on a busy machine that costs tens of
    /// milliseconds, more than the read itself.
    var containsNaN: Bool {
        switch dtype {
        case .float32, .complex64: withUnsafeBytes(containsFloatNaN)
        case .float16, .bfloat16, .float64, .complex128: isnan().any().item(Bool.self)
        case .uint8, .int8, .int16, .int32, .int64, .bool: false
        }
    }
}

/// Whether `bytes`, read as `Float`s, hold a NaN. Sixteen lanes at a time with no early exit, so
/// the loop runs at memory speed (`contains(where:)` is many times slower).
private func containsFloatNaN(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let vectorSize = MemoryLayout<SIMD16<Float>>.size
    let vectors = bytes.count / vectorSize
    var found = SIMDMask<SIMD16<Int32>>(repeating: false)
    for index in 0..<vectors {
        let values = bytes.loadUnaligned(fromByteOffset: index * vectorSize, as: SIMD16<Float>.self)
        found = found .| (values .!= values)
    }
    let rest = bytes[(vectors * vectorSize)...]
    let restHasNaN = stride(from: rest.startIndex, to: rest.endIndex, by: 4).contains {
        bytes.loadUnaligned(fromByteOffset: $0, as: Float.self).isNaN
    }
    return any(found) || restHasNaN
}
