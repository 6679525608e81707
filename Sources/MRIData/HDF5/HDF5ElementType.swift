import CHDF5

/// What a dataset's or attribute's elements are, as stored in the file.
public enum HDF5ElementType: Sendable, Equatable, CustomStringConvertible {
    /// Numbers that read into a tensor of this dtype. Complex numbers are h5py's compound
    /// `{r, i}` of two floats; booleans are h5py's enum `{FALSE = 0, TRUE = 1}` of `int8`;
    /// `uint16` and `uint32` widen to `int32` and `int64`.
    case tensor(DType)
    /// Text (fixed- or variable-length).
    case string
    /// Anything else (described as HDF5 stores it).
    case unsupported(String)

    /// `float32`, `complex64`, `string`, ...
    public var description: String {
        switch self {
        case .tensor(let dtype): dtype.description
        case .string: "string"
        case .unsupported(let description): description
        }
    }

    /// The type of the elements of HDF5 type `type`.
    init(hdf5 type: hid_t) {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_INTEGER:
            let signed = H5Tget_sign(type) == H5T_SGN_2
            switch (size, signed) {
            case (1, true): self = .tensor(.int8)
            case (1, false): self = .tensor(.uint8)
            case (2, true): self = .tensor(.int16)
            case (2, false), (4, true): self = .tensor(.int32)
            case (4, false), (8, true): self = .tensor(.int64)
            default: self = .unsupported("\(signed ? "int" : "uint")\(size * 8)")
            }
        case H5T_FLOAT:
            switch size {
            case 4: self = .tensor(.float32)
            case 8: self = .tensor(.float64)
            default: self = .unsupported("float\(size * 8)")
            }
        case H5T_COMPOUND:
            self = HDF5ElementType.complex(compound: type) ?? .unsupported("compound")
        case H5T_ENUM:
            let isBool = size == 1 && H5Tget_nmembers(type) == 2 && memberName(type, 0) == "FALSE"
                && memberName(type, 1) == "TRUE"
            self = isBool ? .tensor(.bool) : .unsupported("enum")
        case H5T_STRING:
            self = .string
        default:
            self = .unsupported("HDF5 type class \(H5Tget_class(type).rawValue)")
        }
    }

    /// `complex64` or `complex128` when `type` is h5py's complex compound: members `r` then `i`,
    /// two floats of one size.
    private static func complex(compound type: hid_t) -> HDF5ElementType? {
        guard H5Tget_nmembers(type) == 2, memberName(type, 0) == "r", memberName(type, 1) == "i" else {
            return nil
        }
        let sizes = (0..<2).map { index -> Int in
            let member = HDF5Object(H5Tget_member_type(type, UInt32(index)), closer: H5Tclose)
            return H5Tget_class(member.id) == H5T_FLOAT ? H5Tget_size(member.id) : 0
        }
        switch (sizes[0], sizes[1]) {
        case (4, 4): return .tensor(.complex64)
        case (8, 8): return .tensor(.complex128)
        default: return nil
        }
    }
}

/// The name of member `index` of a compound or enum type.
private func memberName(_ type: hid_t, _ index: Int) -> String? {
    guard let name = H5Tget_member_name(type, UInt32(index)) else { return nil }
    defer { H5free_memory(name) }
    return String(cString: name)
}

extension DType {
    /// The in-memory HDF5 type of this dtype's elements, used to read and to write them; the
    /// file type of written datasets too, so complex and bool data are stored as h5py stores them.
    func hdf5MemoryType() -> HDF5Object {
        let predefined = { (id: hid_t) in HDF5Object(id, closer: { _ in 0 }) }
        switch self {
        case .uint8: return predefined(chdf5_native_uint8())
        case .int8: return predefined(chdf5_native_int8())
        case .int16: return predefined(chdf5_native_int16())
        case .int32: return predefined(chdf5_native_int32())
        case .int64: return predefined(chdf5_native_int64())
        case .float32: return predefined(chdf5_native_float())
        case .float64: return predefined(chdf5_native_double())
        case .complex64, .complex128:
            let part = self == .complex64 ? chdf5_native_float() : chdf5_native_double()
            let partSize = elementSize / 2
            let compound = HDF5Object(H5Tcreate(H5T_COMPOUND, elementSize), closer: H5Tclose)
            H5Tinsert(compound.id, "r", 0, part)
            H5Tinsert(compound.id, "i", partSize, part)
            return compound
        case .bool:
            let enumeration = HDF5Object(H5Tenum_create(chdf5_native_int8()), closer: H5Tclose)
            var no: Int8 = 0
            var yes: Int8 = 1
            H5Tenum_insert(enumeration.id, "FALSE", &no)
            H5Tenum_insert(enumeration.id, "TRUE", &yes)
            return enumeration
        case .float16, .bfloat16:
            preconditionFailure("HDF5 files hold no \(self) tensors in MRIKit: convert to float32 first")
        }
    }
}
