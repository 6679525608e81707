import CTorch
import Synchronization

/// An n-dimensional array on the CPU or a GPU, with autograd: libtorch's `at::Tensor`.
///
/// A `Tensor` owns one libtorch handle and frees it in `deinit`, so ARC releases
/// temporaries the moment they die. Tensors are reference types, like PyTorch's:
/// in-place operations (`add_`, subscript assignment) are visible through every
/// reference, and the non-mutating forms return new tensors.
public final class Tensor: @unchecked Sendable {
    /// The shim handle this tensor owns.
    @usableFromInline let handle: mt_tensor

    /// Takes ownership of a shim handle.
    @usableFromInline init(owning handle: mt_tensor) {
        self.handle = handle
        Tensor.liveCount.wrappingAdd(1, ordering: .relaxed)
    }

    deinit {
        mt_tensor_free(handle)
        Tensor.liveCount.wrappingSubtract(1, ordering: .relaxed)
    }

    /// A placeholder returned after a failure captured by `withTorchErrors`.
    static func placeholder() -> Tensor { Tensor(owning: mt_tensor_undefined()) }

    /// Wraps a handle the shim returned, or a placeholder when it is NULL.
    static func wrapping(_ handle: mt_tensor?) -> Tensor {
        handle.map { Tensor(owning: $0) } ?? placeholder()
    }

    /// The number of `Tensor` objects alive in this process (for leak checks).
    public static var liveTensorCount: Int { liveCount.load(ordering: .relaxed) }

    static let liveCount = Atomic<Int>(0)

    /// Whether this is a real tensor (false only for placeholders after a captured failure).
    public var isDefined: Bool { mt_tensor_is_defined(handle) }

    // MARK: Metadata

    /// The number of dimensions.
    public var rank: Int {
        var value: Int64 = 0
        check(mt_tensor_ndim(handle, &value))
        return Int(value)
    }

    /// The size of each dimension.
    public var shape: [Int] {
        let count = rank
        var sizes = [Int64](repeating: 0, count: count)
        check(mt_tensor_sizes(handle, &sizes))
        return sizes.map(Int.init)
    }

    /// The stride of each dimension, in elements.
    public var strides: [Int] {
        let count = rank
        var values = [Int64](repeating: 0, count: count)
        check(mt_tensor_strides(handle, &values))
        return values.map(Int.init)
    }

    /// The size of dimension `dim` (negative counts from the end).
    public func size(_ dim: Int) -> Int {
        let sizes = shape
        return sizes[dim < 0 ? dim + sizes.count : dim]
    }

    /// The number of elements.
    public var count: Int {
        var value: Int64 = 0
        check(mt_tensor_numel(handle, &value))
        return Int(value)
    }

    /// The element type.
    public var dtype: DType {
        var code: Int32 = 0
        guard check(mt_tensor_scalar_type(handle, &code)) else { return .float32 }
        guard let type = DType(rawValue: code) else {
            fatalError("libtorch scalar type \(code) has no MRIKit DType")
        }
        return type
    }

    /// The device holding the data.
    public var device: Device {
        var type: Int32 = 0
        var index: Int32 = -1
        guard check(mt_tensor_device(handle, &type, &index)) else { return .cpu }
        return Device(Device.Kind(rawValue: type) ?? .cpu, index: index < 0 ? nil : Int(index))
    }

    /// Whether the elements are stored densely in row-major order.
    public var isContiguous: Bool { isContiguous(memoryFormat: .contiguous) }

    /// Whether the elements are stored densely in `memoryFormat`'s order.
    public func isContiguous(memoryFormat: MemoryFormat) -> Bool {
        var value = false
        check(mt_tensor_is_contiguous(handle, Int32(memoryFormat.rawValue), &value))
        return value
    }
}
