import CHDF5

/// A dataset's shape and element type, read without reading its data.
public struct HDF5DatasetInfo: Sendable, Equatable {
    /// The dataset's path in the file.
    public let name: String
    /// The dataset's dimensions (empty for a scalar).
    public let shape: [Int]
    /// What its elements are.
    public let elementType: HDF5ElementType
}

extension HDF5File {
    /// The shape and element type of dataset `name`.
    public func info(_ name: String) throws -> HDF5DatasetInfo {
        HDF5ErrorStack.silence()
        let dataset = try openDataset(name)
        return try info(of: dataset, name)
    }

    /// The whole of numeric dataset `name`, as a CPU tensor of its shape and dtype (see
    /// `HDF5ElementType.tensor`).
    public func read(_ name: String) throws -> Tensor {
        HDF5ErrorStack.silence()
        let dataset = try openDataset(name)
        let info = try info(of: dataset, name)
        return try read(dataset, info, start: info.shape.map { _ in 0 }, count: info.shape, shape: info.shape)
    }

    /// Slice `index` along dimension 0 of numeric dataset `name` (shape `shape[1...]`), reading
    /// only that slice from the file.
    public func read(_ name: String, index: Int) throws -> Tensor {
        HDF5ErrorStack.silence()
        let dataset = try openDataset(name)
        let info = try info(of: dataset, name)
        guard let slices = info.shape.first else {
            throw DataError(file: path, field: name, "is a scalar: it has no slice \(index)")
        }
        guard (0..<slices).contains(index) else {
            throw DataError(file: path, field: name, "has \(slices) slices along dimension 0: no slice \(index)")
        }
        let start = [index] + info.shape.dropFirst().map { _ in 0 }
        return try read(dataset, info, start: start, count: [1] + info.shape.dropFirst(), shape: Array(info.shape.dropFirst()))
    }

    /// Reads the hyperslab `start ..< start + count` of `dataset` into a tensor of `shape` (as
    /// many elements as `count`).
    private func read(
        _ dataset: HDF5Object, _ info: HDF5DatasetInfo, start: [Int], count: [Int], shape: [Int]
    ) throws -> Tensor {
        guard case .tensor(let dtype) = info.elementType else {
            throw DataError(file: path, field: info.name, "holds \(info.elementType) elements, not numbers")
        }
        let fileSpace = HDF5Object(H5Dget_space(dataset.id), closer: H5Sclose)
        let memorySpace = try dataspace(count, field: info.name)
        if !count.isEmpty {
            let status = H5Sselect_hyperslab(
                fileSpace.id, H5S_SELECT_SET, start.map { hsize_t($0) }, nil, count.map { hsize_t($0) }, nil)
            guard status >= 0 else { throw error(info.name, "cannot select \(count) at \(start)") }
        }
        let memoryType = dtype.hdf5MemoryType()
        var status: herr_t = 0
        let tensor = Tensor.filling(shape, dtype: dtype) { buffer in
            guard buffer.count > 0 else { return }
            status = H5Dread(
                dataset.id, memoryType.id, memorySpace.id, fileSpace.id, chdf5_p_default(), buffer.baseAddress)
        }
        guard status >= 0 else { throw error(info.name, "cannot be read") }
        return tensor
    }

    /// Writes `tensor` as a new dataset `name` (a path; missing groups are created) of its shape
    /// and dtype.
    ///
    /// - Parameters:
    ///   - chunks: the chunk shape (one entry per dimension); by default contiguous storage, or
    ///     one slice along dimension 0 per chunk when `compressionLevel` is given, so that slice
    ///     reads decompress only their slice.
    ///   - compressionLevel: gzip level 0–9, or `nil` for no compression.
    public func write(_ name: String, _ tensor: Tensor, chunks: [Int]? = nil, compressionLevel: Int? = nil) throws {
        HDF5ErrorStack.silence()
        precondition(chunks == nil || chunks?.count == tensor.rank, "write: chunks \(chunks ?? []) for rank \(tensor.rank)")
        precondition(compressionLevel.map { (0...9).contains($0) } ?? true, "write: gzip level \(compressionLevel ?? 0)")
        let shape = tensor.shape
        let space = try dataspace(shape, field: name)
        let properties = HDF5Object(H5Pcreate(chdf5_p_dataset_create()), closer: H5Pclose)
        if let chunkShape = chunks ?? compressionLevel.map({ _ in [1] + shape.dropFirst() }), !shape.isEmpty {
            guard H5Pset_chunk(properties.id, Int32(shape.count), chunkShape.map { hsize_t(max($0, 1)) }) >= 0 else {
                throw error(name, "cannot use chunks \(chunkShape)")
            }
        }
        if let compressionLevel, !shape.isEmpty {
            guard H5Pset_deflate(properties.id, UInt32(compressionLevel)) >= 0 else {
                throw error(name, "cannot use gzip compression")
            }
        }
        let type = tensor.dtype.hdf5MemoryType()
        let dataset = try createDataset(name, type: type, space: space, properties: properties)
        let bytes = tensor.toBytes()
        let status = bytes.withUnsafeBytes { buffer in
            H5Dwrite(dataset.id, type.id, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), buffer.baseAddress)
        }
        guard status >= 0 else { throw error(name, "cannot be written") }
    }

    /// The text of scalar string dataset `name` (fastMRI's `ismrmrd_header`).
    public func readString(_ name: String) throws -> String {
        HDF5ErrorStack.silence()
        let dataset = try openDataset(name)
        let type = HDF5Object(H5Dget_type(dataset.id), closer: H5Tclose)
        let space = HDF5Object(H5Dget_space(dataset.id), closer: H5Sclose)
        return try readScalarString(type: type.id, space: space.id, field: name) { memoryType, buffer in
            H5Dread(dataset.id, memoryType, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), buffer)
        }
    }

    /// Writes `string` as a new scalar dataset `name` of variable-length UTF-8 text, as h5py
    /// stores a Python `str`.
    public func write(_ name: String, string: String) throws {
        HDF5ErrorStack.silence()
        let type = variableLengthUTF8()
        let space = try dataspace([], field: name)
        let properties = HDF5Object(H5Pcreate(chdf5_p_dataset_create()), closer: H5Pclose)
        let dataset = try createDataset(name, type: type, space: space, properties: properties)
        let status = string.withCString { text in
            var pointer: UnsafePointer<CChar>? = text
            return H5Dwrite(dataset.id, type.id, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), &pointer)
        }
        guard status >= 0 else { throw error(name, "cannot be written") }
    }

    // MARK: Shared pieces

    /// Opens dataset `name`, or throws naming it when it is missing or not a dataset.
    func openDataset(_ name: String) throws -> HDF5Object {
        guard contains(name) else { throw DataError(file: path, field: name, "is missing") }
        let id = H5Dopen2(handle.id, name, chdf5_p_default())
        guard id >= 0 else { throw error(name, "is not a readable dataset") }
        return HDF5Object(id, closer: H5Dclose)
    }

    private func info(of dataset: HDF5Object, _ name: String) throws -> HDF5DatasetInfo {
        let type = HDF5Object(H5Dget_type(dataset.id), closer: H5Tclose)
        let space = HDF5Object(H5Dget_space(dataset.id), closer: H5Sclose)
        guard type.id >= 0, space.id >= 0, let shape = simpleShape(space.id) else {
            throw error(name, "has an unreadable type or shape")
        }
        return HDF5DatasetInfo(name: name, shape: shape, elementType: HDF5ElementType(hdf5: type.id))
    }

    /// A new dataspace of `shape` (scalar when empty).
    func dataspace(_ shape: [Int], field: String) throws -> HDF5Object {
        let id = shape.isEmpty
            ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(shape.count), shape.map { hsize_t($0) }, nil)
        guard id >= 0 else { throw error(field, "cannot have shape \(shape)") }
        return HDF5Object(id, closer: H5Sclose)
    }

    private func createDataset(
        _ name: String, type: HDF5Object, space: HDF5Object, properties: HDF5Object
    ) throws -> HDF5Object {
        guard !contains(name) else { throw DataError(file: path, field: name, "already exists") }
        // Groups on the way to `name` are created as needed, as h5py does.
        let links = HDF5Object(H5Pcreate(chdf5_p_link_create()), closer: H5Pclose)
        H5Pset_create_intermediate_group(links.id, 1)
        let id = H5Dcreate2(handle.id, name, type.id, space.id, links.id, properties.id, chdf5_p_default())
        guard id >= 0 else { throw error(name, "cannot be created") }
        return HDF5Object(id, closer: H5Dclose)
    }
}

/// The dimensions of a simple or scalar dataspace; `nil` for a null dataspace or on failure.
func simpleShape(_ space: hid_t) -> [Int]? {
    let rank = H5Sget_simple_extent_ndims(space)
    guard rank >= 0, H5Sget_simple_extent_type(space) != H5S_NULL else { return nil }
    var dimensions = [hsize_t](repeating: 0, count: Int(rank))
    guard H5Sget_simple_extent_dims(space, &dimensions, nil) == rank else { return nil }
    return dimensions.map { Int($0) }
}

/// The in-memory type of h5py's `str`: variable-length UTF-8 text.
func variableLengthUTF8() -> HDF5Object {
    let type = HDF5Object(H5Tcopy(chdf5_c_s1()), closer: H5Tclose)
    H5Tset_size(type.id, chdf5_variable())
    H5Tset_cset(type.id, H5T_CSET_UTF8)
    return type
}

extension HDF5File {
    /// The text of a one-element string dataset or attribute of file type `type` and dataspace
    /// `space`, read by `read(memoryType, buffer)`; fixed- and variable-length text alike.
    func readScalarString(
        type: hid_t, space: hid_t, field: String, read: (hid_t, UnsafeMutableRawPointer) -> herr_t
    ) throws -> String {
        guard H5Tget_class(type) == H5T_STRING else {
            throw DataError(file: path, field: field, "holds \(HDF5ElementType(hdf5: type)), not a string")
        }
        guard H5Sget_simple_extent_npoints(space) == 1 else {
            throw DataError(file: path, field: field, "holds \(H5Sget_simple_extent_npoints(space)) strings, not one")
        }
        if H5Tis_variable_str(type) > 0 {
            let memoryType = variableLengthUTF8()
            var pointer: UnsafeMutablePointer<CChar>?
            guard read(memoryType.id, &pointer) >= 0, let pointer else { throw error(field, "cannot be read") }
            defer { H5free_memory(pointer) }
            return String(cString: pointer)
        }
        // Fixed-length text has no byte order, so the file's type reads it as stored.
        var bytes = [UInt8](repeating: 0, count: H5Tget_size(type))
        let status = bytes.withUnsafeMutableBytes { buffer in buffer.baseAddress.map { read(type, $0) } ?? -1 }
        guard status >= 0 else { throw error(field, "cannot be read") }
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}
