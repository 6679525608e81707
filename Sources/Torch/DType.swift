import CTorch

/// The element type of a tensor. Raw values are libtorch's `c10::ScalarType` codes.
public enum DType: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case uint8 = 0
    case int8 = 1
    case int16 = 2
    case int32 = 3
    case int64 = 4
    case float16 = 5
    case float32 = 6
    case float64 = 7
    case complex64 = 9
    case complex128 = 10
    case bool = 11
    case bfloat16 = 15

    /// Bytes per element.
    public var elementSize: Int {
        switch self {
        case .uint8, .int8, .bool: 1
        case .int16, .float16, .bfloat16: 2
        case .int32, .float32: 4
        case .int64, .float64, .complex64: 8
        case .complex128: 16
        }
    }

    /// Whether the type is a real floating-point type.
    public var isFloatingPoint: Bool { [.float16, .bfloat16, .float32, .float64].contains(self) }

    /// Whether the type is complex.
    public var isComplex: Bool { self == .complex64 || self == .complex128 }

    /// The real type of a complex type's parts (the type itself otherwise).
    public var realCounterpart: DType {
        switch self {
        case .complex64: .float32
        case .complex128: .float64
        default: self
        }
    }

    /// PyTorch's name, e.g. `float32`.
    public var description: String {
        switch self {
        case .uint8: "uint8"
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .float16: "float16"
        case .float32: "float32"
        case .float64: "float64"
        case .complex64: "complex64"
        case .complex128: "complex128"
        case .bool: "bool"
        case .bfloat16: "bfloat16"
        }
    }

    /// The dtype PyTorch names `name` (`float32`, `int64`, ...), if known.
    public init?(name: String) {
        if let match = DType.allCases.first(where: { $0.description == name }) {
            self = match
        } else {
            return nil
        }
    }
}
