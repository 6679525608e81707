import CTorch

/// A Swift type whose values can fill a tensor and be read back from one.
public protocol TensorElement {
    /// The tensor dtype holding this type's values.
    static var dtype: DType { get }
}

extension Float: TensorElement { public static var dtype: DType { .float32 } }
extension Double: TensorElement { public static var dtype: DType { .float64 } }
extension Int32: TensorElement { public static var dtype: DType { .int32 } }
extension Int64: TensorElement { public static var dtype: DType { .int64 } }
extension Int: TensorElement { public static var dtype: DType { .int64 } }
extension Int16: TensorElement { public static var dtype: DType { .int16 } }
extension Int8: TensorElement { public static var dtype: DType { .int8 } }
extension UInt8: TensorElement { public static var dtype: DType { .uint8 } }
extension Bool: TensorElement { public static var dtype: DType { .bool } }
#if arch(x86_64) || arch(arm64)
    extension Float16: TensorElement { public static var dtype: DType { .float16 } }
#endif

/// A complex number as stored in `complex64`/`complex128` tensors (real part first).
public struct ComplexValue<Real: BinaryFloatingPoint & TensorElement>: Equatable, Sendable
where Real: Sendable {
    /// The real part.
    public var real: Real
    /// The imaginary part.
    public var imaginary: Real

    /// `real + imaginary·i`.
    public init(_ real: Real, _ imaginary: Real = 0) {
        self.real = real
        self.imaginary = imaginary
    }
}

extension ComplexValue: TensorElement {
    public static var dtype: DType { Real.dtype == .float64 ? .complex128 : .complex64 }
}

extension Tensor {
    /// A CPU tensor holding `elements` (row-major) with `shape` (default: one dimension).
    public convenience init<Element: TensorElement>(_ elements: [Element], shape: [Int]? = nil) {
        let shape = shape ?? [elements.count]
        precondition(
            shape.reduce(1, *) == elements.count,
            "Tensor(_:shape:): \(elements.count) elements do not fill shape \(shape)")
        // The copy must happen inside the closure: the pointer is only valid there.
        let handle = elements.withUnsafeBytes { Tensor.copiedHandle(bytes: $0, shape: shape, dtype: Element.dtype) }
        self.init(owning: handle)
    }

    /// A CPU tensor copied from raw row-major `bytes` of `dtype` elements.
    public convenience init(bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType) {
        self.init(owning: Tensor.copiedHandle(bytes: bytes, shape: shape, dtype: dtype))
    }

    /// A new shim tensor holding a copy of `bytes` (a placeholder after a captured failure).
    private static func copiedHandle(bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType) -> mt_tensor {
        precondition(
            bytes.count == shape.reduce(1, *) * dtype.elementSize,
            "Tensor(bytes:shape:dtype:): \(bytes.count) bytes do not fill \(shape) of \(dtype)")
        let sizes = shape.map(Int64.init)
        var handle: mt_tensor?
        check(mt_tensor_from_data(bytes.baseAddress, sizes, Int64(sizes.count), dtype.rawValue, &handle))
        return handle ?? mt_tensor_undefined()
    }

    /// A 0-dimensional tensor holding `value`.
    public convenience init<Element: TensorElement>(scalar value: Element) {
        self.init([value], shape: [])
    }

    /// The elements in row-major order, converted to `Element`'s dtype first if needed.
    public func toArray<Element: TensorElement>(of type: Element.Type = Element.self) -> [Element] {
        let source = dtype == Element.dtype ? self : to(dtype: Element.dtype)
        let count = source.count
        let stride = MemoryLayout<Element>.stride
        precondition(stride == Element.dtype.elementSize, "\(Element.self) is not laid out as \(Element.dtype)")
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            let ok = check(mt_tensor_copy_to(source.handle, buffer.baseAddress, count * stride))
            initialized = ok ? count : 0
        }
    }

    /// The raw bytes of the elements (dense, row-major, on the CPU).
    public func toBytes() -> [UInt8] {
        let size = count * dtype.elementSize
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = check(mt_tensor_copy_to(handle, buffer.baseAddress, size)) ? size : 0
        }
    }

    /// The single element of a one-element tensor.
    public func item<Element: TensorElement>(_ type: Element.Type = Element.self) -> Element {
        precondition(count == 1, "item(): the tensor has \(count) elements, not 1")
        return toArray(of: Element.self)[0]
    }
}
