import CHDF5

/// The value of a scalar HDF5 attribute: text, an integer or a floating-point number (h5py's
/// `str`, `int` and `float` attributes, such as fastMRI's `acquisition`, `acceleration` and `max`).
public enum HDF5Attribute: Sendable, Equatable {
    /// Text.
    case string(String)
    /// An integer (any HDF5 integer type, read as 64 bits).
    case int(Int)
    /// A floating-point number (any HDF5 float type, read as 64 bits).
    case float(Double)
}

extension HDF5File {
    /// The names of the attributes of `object` (a dataset or group path; the root by default).
    public func attributeNames(of object: String = "/") throws -> [String] {
        HDF5ErrorStack.silence()
        var names: [String] = []
        let status = withUnsafeMutablePointer(to: &names) { pointer in
            H5Aiterate_by_name(
                handle.id, object, H5_INDEX_NAME, H5_ITER_INC, nil,
                { _, name, _, context in
                    if let name, let context {
                        context.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name))
                    }
                    return 0
                }, pointer, chdf5_p_default())
        }
        guard status >= 0 else { throw error(object, "has no readable attributes") }
        return names
    }

    /// Whether `object` (the root by default) has attribute `name`.
    public func hasAttribute(_ name: String, of object: String = "/") -> Bool {
        HDF5ErrorStack.silence()
        let exists = H5Aexists_by_name(handle.id, object, name, chdf5_p_default()) > 0
        H5Eclear2(chdf5_e_default())
        return exists
    }

    /// Attribute `name` of `object` (the root by default); it must hold one string, integer or
    /// floating-point value.
    public func attribute(_ name: String, of object: String = "/") throws -> HDF5Attribute {
        HDF5ErrorStack.silence()
        let field = attributeField(name, object)
        guard hasAttribute(name, of: object) else { throw DataError(file: path, field: field, "is missing") }
        let attribute = HDF5Object(
            H5Aopen_by_name(handle.id, object, name, chdf5_p_default(), chdf5_p_default()), closer: H5Aclose)
        let type = HDF5Object(H5Aget_type(attribute.id), closer: H5Tclose)
        let space = HDF5Object(H5Aget_space(attribute.id), closer: H5Sclose)
        guard attribute.id >= 0, type.id >= 0, space.id >= 0 else { throw error(field, "cannot be opened") }
        switch H5Tget_class(type.id) {
        case H5T_STRING:
            return .string(
                try readScalarString(type: type.id, space: space.id, field: field) { H5Aread(attribute.id, $0, $1) })
        case H5T_INTEGER:
            var value: Int64 = 0
            try readNumber(attribute, space, chdf5_native_int64(), into: &value, field: field)
            return .int(Int(value))
        case H5T_FLOAT:
            var value: Double = 0
            try readNumber(attribute, space, chdf5_native_double(), into: &value, field: field)
            return .float(value)
        default:
            throw DataError(
                file: path, field: field, "holds \(HDF5ElementType(hdf5: type.id)), not a string or a number")
        }
    }

    /// Sets attribute `name` of `object` (the root by default) to `value`, replacing any
    /// attribute of that name. Strings are stored as variable-length UTF-8, integers as `int64`
    /// and floats as `float64`, as h5py stores Python values.
    public func setAttribute(_ name: String, _ value: HDF5Attribute, of object: String = "/") throws {
        HDF5ErrorStack.silence()
        let field = attributeField(name, object)
        if hasAttribute(name, of: object), H5Adelete_by_name(handle.id, object, name, chdf5_p_default()) < 0 {
            throw error(field, "cannot be replaced")
        }
        let type: HDF5Object
        switch value {
        case .string: type = variableLengthUTF8()
        case .int: type = DType.int64.hdf5MemoryType()
        case .float: type = DType.float64.hdf5MemoryType()
        }
        let space = try dataspace([], field: field)
        let attribute = HDF5Object(
            H5Acreate_by_name(
                handle.id, object, name, type.id, space.id, chdf5_p_default(), chdf5_p_default(),
                chdf5_p_default()),
            closer: H5Aclose)
        guard attribute.id >= 0 else { throw error(field, "cannot be created") }
        let status: herr_t
        switch value {
        case .string(let text):
            status = text.withCString { pointer in
                var start: UnsafePointer<CChar>? = pointer
                return H5Awrite(attribute.id, type.id, &start)
            }
        case .int(let integer):
            var stored = Int64(integer)
            status = H5Awrite(attribute.id, type.id, &stored)
        case .float(let number):
            var stored = number
            status = H5Awrite(attribute.id, type.id, &stored)
        }
        guard status >= 0 else { throw error(field, "cannot be written") }
    }

    /// Reads the single number of `attribute` as `memoryType` into `value`.
    private func readNumber<Value: BitwiseCopyable>(
        _ attribute: HDF5Object, _ space: HDF5Object, _ memoryType: hid_t, into value: inout Value, field: String
    ) throws {
        let points = H5Sget_simple_extent_npoints(space.id)
        guard points == 1 else { throw DataError(file: path, field: field, "holds \(points) values, not one") }
        guard H5Aread(attribute.id, memoryType, &value) >= 0 else { throw error(field, "cannot be read") }
    }

    /// How errors name attribute `name` of `object`: the bare name on the root (fastMRI's
    /// attributes), h5py's `object.attrs["name"]` elsewhere.
    private func attributeField(_ name: String, _ object: String) -> String {
        object == "/" ? name : "\(object).attrs[\"\(name)\"]"
    }
}
