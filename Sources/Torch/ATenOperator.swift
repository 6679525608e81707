import CTorch

/// One argument of an ATen operator call, in the operator schema's order.
///
/// Swift values map to the schema's types: `Scalar` arguments take `.int`, `.double`,
/// `.bool` or `.complex`; `ScalarType?` takes `.dtype`; `int[]`/`SymInt[]` take `.ints`.
public enum ATenArgument {
    /// `None` for an optional argument.
    case none
    /// The schema's default for this position (lets later arguments be given).
    case `default`
    case tensor(Tensor)
    case optionalTensor(Tensor?)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case complex(real: Double, imaginary: Double)
    case ints([Int])
    case doubles([Double])
    case bools([Bool])
    case tensors([Tensor])
    case optionalTensors([Tensor?])
    case string(String)
    case dtype(DType)
    case device(Device)
    case generator(Generator)
}

/// One result of an ATen operator call.
public enum ATenResult {
    case tensor(Tensor)
    case tensors([Tensor])
    case int(Int)
    case double(Double)
    case bool(Bool)
    case complex(real: Double, imaginary: Double)
    case none
    /// A result kind MRIKit does not map.
    case other
}

/// An ATen operator found by name in libtorch's dispatcher, callable with any arguments
/// its schema takes. Calls go through the dispatcher, so autograd records them.
///
/// Declare each operator once, as a `static let`, so the lookup happens once:
/// ```swift
/// extension ATen { static let add = ATenOperator("aten::add", "Tensor") }
/// ```
public final class ATenOperator: @unchecked Sendable {
    let handle: mt_op
    /// The qualified name and overload, e.g. `aten::add.Tensor`.
    public let name: String

    /// Looks up `name` with `overload` ("" for the default overload). Traps if libtorch
    /// has no such operator: operator names are fixed in code, not user input.
    public init(_ name: String, _ overload: String = "") {
        var op: mt_op?
        guard mt_op_find(name, overload, &op) == 0, let op else {
            fatalError(mt_last_error().map { String(cString: $0) } ?? "no ATen operator \(name)")
        }
        self.handle = op
        self.name = overload.isEmpty ? name : "\(name).\(overload)"
    }

    /// The full schema, e.g. `aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor`.
    public var schema: String { String(cString: mt_op_schema(handle)) }

    /// Calls the operator; missing trailing arguments take the schema's defaults.
    /// On failure, traps (or inside `withTorchErrors`, records the error and returns `[]`).
    public func call(_ arguments: [ATenArgument]) -> [ATenResult] {
        withExtendedLifetime(arguments) {
            var storage = ArgumentStorage()
            defer { storage.release() }
            var values = arguments.map { storage.value(for: $0) }
            return withUnsafeTemporaryAllocation(of: mt_value.self, capacity: 8) { outs in
                var count: Int64 = 0
                let status = mt_op_call(handle, &values, Int64(values.count), outs.baseAddress, 8, &count)
                guard check(status, name) else { return [] }
                return (0..<Int(count)).map { ATenResult(taking: outs[$0]) }
            }
        }
    }

    /// Calls an operator that returns one tensor.
    public func callAsFunction(_ arguments: ATenArgument...) -> Tensor {
        call(arguments).first?.tensor ?? Tensor.placeholder()
    }

    /// Calls an operator that returns several tensors (a tuple or a list).
    public func tensors(_ arguments: ATenArgument...) -> [Tensor] {
        call(arguments).flatMap { result -> [Tensor] in
            switch result {
            case .tensor(let tensor): [tensor]
            case .tensors(let list): list
            default: []
            }
        }
    }

    /// Calls an operator that returns a scalar.
    public func scalar(_ arguments: ATenArgument...) -> ATenResult {
        call(arguments).first ?? .none
    }
}

/// Namespace for the `ATenOperator`s MRIKit calls.
public enum ATen {}

extension ATenResult {
    /// Takes ownership of what the shim returned.
    init(taking value: mt_value) {
        switch Int(value.kind) {
        case Int(MT_TENSOR.rawValue): self = .tensor(Tensor.wrapping(value.t))
        case Int(MT_TENSOR_LIST.rawValue):
            let list = value.list!
            defer { mt_list_free(list) }
            self = .tensors((0..<mt_list_size(list)).map { Tensor.wrapping(mt_list_get(list, $0)) })
        case Int(MT_INT.rawValue): self = .int(Int(value.i))
        case Int(MT_DOUBLE.rawValue): self = .double(value.d)
        case Int(MT_BOOL.rawValue): self = .bool(value.i != 0)
        case Int(MT_COMPLEX.rawValue): self = .complex(real: value.d, imaginary: value.d2)
        case Int(MT_NONE.rawValue): self = .none
        default: self = .other
        }
    }

    /// The tensor, if this result is one.
    public var tensor: Tensor? {
        if case .tensor(let tensor) = self { return tensor }
        return nil
    }
}

/// Memory that argument values point into, alive for one call.
struct ArgumentStorage {
    private var allocations: [UnsafeMutableRawPointer] = []

    mutating func release() {
        for pointer in allocations { pointer.deallocate() }
    }

    private mutating func copy<T>(_ elements: [T]) -> UnsafePointer<T> {
        let buffer = UnsafeMutablePointer<T>.allocate(capacity: max(elements.count, 1))
        buffer.initialize(from: elements, count: elements.count)
        allocations.append(UnsafeMutableRawPointer(buffer))
        return UnsafePointer(buffer)
    }

    mutating func value(for argument: ATenArgument) -> mt_value {
        var value = mt_value()
        switch argument {
        case .none: value.kind = Int32(MT_NONE.rawValue)
        case .default: value.kind = Int32(MT_DEFAULT.rawValue)
        case .tensor(let tensor):
            value.kind = Int32(MT_TENSOR.rawValue)
            value.t = tensor.handle
        case .optionalTensor(let tensor):
            if let tensor {
                value.kind = Int32(MT_TENSOR.rawValue)
                value.t = tensor.handle
            } else {
                value.kind = Int32(MT_NONE.rawValue)
            }
        case .int(let number):
            value.kind = Int32(MT_INT.rawValue)
            value.i = Int64(number)
        case .double(let number):
            value.kind = Int32(MT_DOUBLE.rawValue)
            value.d = number
        case .bool(let flag):
            value.kind = Int32(MT_BOOL.rawValue)
            value.i = flag ? 1 : 0
        case .complex(let real, let imaginary):
            value.kind = Int32(MT_COMPLEX.rawValue)
            value.d = real
            value.d2 = imaginary
        case .ints(let numbers):
            value.kind = Int32(MT_INT_LIST.rawValue)
            value.ints = copy(numbers.map(Int64.init))
            value.count = Int64(numbers.count)
        case .doubles(let numbers):
            value.kind = Int32(MT_DOUBLE_LIST.rawValue)
            value.doubles = copy(numbers)
            value.count = Int64(numbers.count)
        case .bools(let flags):
            value.kind = Int32(MT_BOOL_LIST.rawValue)
            value.bools = copy(flags)
            value.count = Int64(flags.count)
        case .tensors(let tensors):
            value.kind = Int32(MT_TENSOR_LIST.rawValue)
            value.tensors = copy(tensors.map { Optional($0.handle) })
            value.count = Int64(tensors.count)
        case .optionalTensors(let tensors):
            value.kind = Int32(MT_OPT_TENSOR_LIST.rawValue)
            value.tensors = copy(tensors.map { $0?.handle })
            value.count = Int64(tensors.count)
        case .string(let text):
            value.kind = Int32(MT_STRING.rawValue)
            value.str = copy(Array(text.utf8CString))
        case .dtype(let type):
            value.kind = Int32(MT_INT.rawValue)
            value.i = Int64(type.rawValue)
        case .device(let device):
            // CUDA kernels register when libtorch_cuda.so loads; do that before the first CUDA op.
            if device.kind == .cuda { Runtime.loadCUDA() }
            value.kind = Int32(MT_DEVICE.rawValue)
            value.i = Int64(device.kind.rawValue)
            value.d = Double(device.index ?? -1)
        case .generator(let generator):
            value.kind = Int32(MT_GENERATOR.rawValue)
            value.generator = generator.handle
        }
        return value
    }
}
