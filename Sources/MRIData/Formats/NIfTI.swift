import CNIfTI
import CZlib
import Foundation

/// The NIfTI header version: NIfTI-1 (348-byte header, 16-bit dims) or NIfTI-2 (540-byte
/// header, 64-bit dims and double-precision fields).
public enum NIfTIVersion: Int, Sendable {
    case nifti1 = 1
    case nifti2 = 2
}

/// A voxel type a NIfTI file may store (the header's `datatype` codes MRIKit reads and writes).
///
/// MRIKit's tensors have no unsigned types wider than 8 bits, so `uint16` and `uint32` are read
/// into `int32` and `int64` tensors, which hold every value.
public enum NIfTIDataType: Int32, Sendable, CaseIterable {
    case uint8 = 2
    case int16 = 4
    case int32 = 8
    case float32 = 16
    case complex64 = 32
    case float64 = 64
    case int8 = 256
    case uint16 = 512
    case uint32 = 768
    case int64 = 1024
    case complex128 = 1792

    /// The tensor dtype the stored values are read into without loss.
    public var tensorDType: DType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .int16: .int16
        case .uint16, .int32: .int32
        case .uint32, .int64: .int64
        case .float32: .float32
        case .float64: .float64
        case .complex64: .complex64
        case .complex128: .complex128
        }
    }

    /// The type that stores a tensor of `dtype` exactly (`bool` as `uint8`); `nil` for the
    /// half-precision types, which NIfTI lacks.
    public init?(storing dtype: DType) {
        switch dtype {
        case .uint8, .bool: self = .uint8
        case .int8: self = .int8
        case .int16: self = .int16
        case .int32: self = .int32
        case .int64: self = .int64
        case .float32: self = .float32
        case .float64: self = .float64
        case .complex64: self = .complex64
        case .complex128: self = .complex128
        case .float16, .bfloat16: return nil
        }
    }
}

/// A NIfTI-1 or NIfTI-2 image (`.nii` or gzipped `.nii.gz`), read and written through
/// nifti_clib (Debian's libnifti2).
///
/// Layout: `data[i, j, k, ...]` is voxel (i, j, k, ...) of the file, so `data.shape` equals the
/// header's `dim[1...dim[0]]` and indexing matches nibabel's `get_fdata()[i, j, k]`. NIfTI
/// stores x fastest (column-major); like nibabel's Fortran-ordered arrays, the tensor read is a
/// transposed view of that layout (strides reversed, not contiguous): call `contiguous()` where
/// row-major memory matters.
///
/// The affine maps voxel indices (i, j, k, 1) to world coordinates (millimetres), chosen as
/// nibabel's `get_best_affine` does: the sform when `sform_code > 0`, else the qform when
/// `qform_code > 0`, else the Analyze base affine (x flipped, origin at the volume centre).
public struct NIfTIImage {
    /// The voxels, `[nx, ny, nz, nt, ...]` (the header's dims, as many as `dim[0]`).
    public var data: Tensor
    /// The voxel-to-world transform, `[4, 4]` float64.
    public var affine: Tensor
    /// The voxel size along each data dimension (the header's `pixdim[1...]`, millimetres and seconds).
    public var spacing: [Double]
    /// The meaning of the sform (0 unknown, 1 scanner, 2 aligned, 3 Talairach, 4 MNI, 5 template).
    public var sformCode: Int
    /// The meaning of the qform (same codes as `sformCode`).
    public var qformCode: Int
    /// Stored values times `scaleSlope` plus `scaleIntercept` are the real values. Reading with
    /// `raw: false` applies them, so the image then holds 1 and 0.
    public var scaleSlope: Double
    /// See `scaleSlope`.
    public var scaleIntercept: Double
    /// The header version the image was read from, and is written as.
    public var version: NIfTIVersion

    /// An image of `data` (`[nx, ny, nz, ...]`) placed in the world by `affine` (`[4, 4]`).
    ///
    /// `spacing` defaults to the lengths of the affine's first three columns (1 for further
    /// dimensions). Written with the affine as the sform (code 2, aligned) and as the qform
    /// (code 0), as nibabel's `Nifti1Image(data, affine)` does.
    public init(
        data: Tensor, affine: Tensor = Tensor.eye(4, dtype: .float64), spacing: [Double]? = nil,
        version: NIfTIVersion = .nifti1
    ) {
        precondition(affine.shape == [4, 4], "NIfTIImage: the affine must be [4, 4], not \(affine.shape)")
        precondition((1...7).contains(data.rank), "NIfTIImage: NIfTI holds 1 to 7 dimensions, not \(data.rank)")
        let matrix = affine.to(dtype: .float64).toArray(of: Double.self)
        let columnLengths = (0..<3).map { column in
            (0..<3).map { matrix[$0 * 4 + column] * matrix[$0 * 4 + column] }.reduce(0, +).squareRoot()
        }
        self.data = data
        self.affine = affine.to(dtype: .float64)
        self.spacing = spacing ?? (0..<data.rank).map { $0 < 3 ? columnLengths[$0] : 1 }
        self.sformCode = 2
        self.qformCode = 0
        self.scaleSlope = 1
        self.scaleIntercept = 0
        self.version = version
    }

    /// Reads a `.nii` or `.nii.gz` file.
    ///
    /// With `raw: false` (the default) the data is float32 (complex64 for complex files) after
    /// `scl_slope`/`scl_inter` scaling; with `raw: true` it keeps the stored type (see
    /// `NIfTIDataType.tensorDType`) and the scaling is returned in `scaleSlope`/`scaleIntercept`.
    /// Throws `DataError` naming the file and header field for a missing, truncated or corrupt
    /// file, an unsupported datatype, bad dims or invalid scaling, and (`raw: false` only) for
    /// NaN voxels; `raw: true` returns the stored values as they are.
    public init(contentsOf url: URL, raw: Bool = false) throws {
        let path = url.path
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw DataError(file: path, "no such readable file")
        }
        NIfTILibrary.silence
        // nifti_clib quietly repairs some bad fields (non-positive dims, non-finite scaling, an
        // unknown magic read as Analyze): check the header as stored first.
        let storedVersion = try NIfTILibrary.checkHeader(path)
        guard let image = nifti_image_read(path, 0) else {
            throw DataError(file: path, field: "header", "nifti_clib refuses the header")
        }
        defer { nifti_image_free(image) }
        let header = image.pointee

        let ndim = Int(header.ndim)
        let dims = NIfTILibrary.elements(of: header.dim, as: Int64.self).map(Int.init)
        let shape = Array(dims[1...ndim])
        guard let type = NIfTIDataType(rawValue: header.datatype) else {
            let name = String(cString: nifti_datatype_string(header.datatype))
            throw DataError(file: path, field: "datatype", "unsupported datatype \(header.datatype) (\(name))")
        }
        // nibabel's rule: a zero or non-finite slope means no scaling.
        var (slope, intercept) = (header.scl_slope, header.scl_inter)
        if slope == 0 || !slope.isFinite { (slope, intercept) = (1, 0) }
        try NIfTILibrary.checkDataSize(image, file: path)
        let rowMajorShape = Array(shape.reversed())
        // Converted and scaled in file order (contiguous, so vectorised), then transposed as a view,
        // as nibabel's Fortran-ordered arrays: no further copy of the volume.
        var values = try NIfTILibrary.withVoxels(image, file: path) { bytes in
            if !raw, let scaled = ScaledVoxels.float32(
                bytes, type: type, shape: rowMajorShape, slope: slope, intercept: intercept)
            {
                return scaled
            }
            return NIfTILibrary.tensor(bytes, type: type, shape: rowMajorShape)
        }
        if !raw {
            if type.tensorDType.isComplex {
                // The tensor is this reader's own, so scaling works in place.
                values = values.to(dtype: .complex64)
                if slope != 1 { values.mul_(slope) }
                if intercept != 0 { values.add_(intercept) }
            }
            (slope, intercept) = (1, 0)
            // Stored integers scaled by finite factors cannot be NaN; stored floats can.
            let storesFloats = type.tensorDType.isFloatingPoint || type.tensorDType.isComplex
            let missing = storesFloats ? values.isnan().sum().item(Int64.self) : 0
            guard missing == 0 else {
                throw DataError(file: path, field: "data", "\(missing) of \(values.count) voxels are NaN")
            }
        }

        data = values.permute(Array((0..<ndim).reversed()))
        spacing = (1...ndim).map { NIfTILibrary.elements(of: header.pixdim, as: Double.self)[$0] }
        sformCode = Int(header.sform_code)
        qformCode = Int(header.qform_code)
        scaleSlope = slope
        scaleIntercept = intercept
        version = storedVersion
        let matrix: [Double]
        if header.sform_code > 0 {
            matrix = NIfTILibrary.elements(of: header.sto_xyz.m, as: Double.self)
        } else if header.qform_code > 0 {
            matrix = NIfTILibrary.elements(of: header.qto_xyz.m, as: Double.self)
        } else {
            matrix = Self.baseAffine(shape: shape, spacing: spacing)
        }
        affine = Tensor(matrix, shape: [4, 4])
    }

    /// nibabel's `shape_zoom_affine` with x flipped: scaling by the spacing, the volume centre
    /// at the origin (for files with neither qform nor sform).
    private static func baseAffine(shape: [Int], spacing: [Double]) -> [Double] {
        var matrix = [Double](repeating: 0, count: 16)
        for axis in 0..<3 {
            let size = axis < shape.count ? Double(shape[axis]) : 1
            let zoom = (axis < spacing.count ? spacing[axis] : 1) * (axis == 0 ? -1 : 1)
            matrix[axis * 5] = zoom
            matrix[axis * 4 + 3] = -(size - 1) / 2 * zoom
        }
        matrix[15] = 1
        return matrix
    }

    /// Writes the image to `url` (`.nii`, or `.nii.gz` for gzip) in `version`'s header layout,
    /// atomically (through a temporary file renamed over `url` when complete).
    ///
    /// The data is stored in its own type (see `NIfTIDataType(storing:)`) with `scaleSlope` and
    /// `scaleIntercept`; the affine becomes the sform (with `sformCode`) and, through its
    /// quaternion, the qform (with `qformCode`); `spacing` becomes `pixdim`.
    public func write(to url: URL) throws {
        let path = url.path
        guard path.hasSuffix(".nii") || path.hasSuffix(".nii.gz") else {
            throw DataError(file: path, "a NIfTI file name must end in .nii or .nii.gz")
        }
        guard let type = NIfTIDataType(storing: data.dtype) else {
            throw DataError(file: path, field: "datatype", "NIfTI cannot store \(data.dtype) data")
        }
        guard spacing.count == data.rank else {
            throw DataError(
                file: path, field: "pixdim", "\(spacing.count) spacings for \(data.rank) data dimensions")
        }
        let shape = data.shape
        guard shape.allSatisfy({ $0 > 0 }) else {
            throw DataError(file: path, field: "dim", "NIfTI dims must be positive, not \(shape)")
        }
        if version == .nifti1, let large = shape.first(where: { $0 > Int(Int16.max) }) {
            throw DataError(file: path, field: "dim", "NIfTI-1 dims hold at most 32767, not \(large); use NIfTI-2")
        }
        NIfTILibrary.silence
        var dims = [Int64](repeating: 1, count: 8)
        dims[0] = Int64(shape.count)
        for (axis, size) in shape.enumerated() { dims[axis + 1] = Int64(size) }
        guard let image = nifti_make_new_nim(dims, type.rawValue, 0) else {
            throw DataError(file: path, field: "dim", "nifti_clib refused dims \(shape) of datatype \(type)")
        }
        defer { nifti_image_free(image) }
        setGeometry(of: image)
        image.pointee.scl_slope = scaleSlope
        image.pointee.scl_inter = scaleIntercept
        image.pointee.xyz_units = NIFTI_UNITS_MM
        image.pointee.time_units = NIFTI_UNITS_SEC
        // One file: the header, a 4-byte extension flag (no extensions), then the voxels.
        image.pointee.nifti_type = version == .nifti1 ? NIFTI_FTYPE_NIFTI1_1 : NIFTI_FTYPE_NIFTI2_1

        // nifti_clib turns the image struct into the header; the file is assembled here because
        // nifti_image_write reports no errors and (3.0.1) cannot write single-file NIfTI-2.
        var header: [UInt8]
        var converted: Int32
        if version == .nifti1 {
            var fields = nifti_1_header()
            converted = nifti_convert_nim2n1hdr(image, &fields)
            fields.vox_offset = 352  // left 0 by the conversion
            header = withUnsafeBytes(of: &fields) { Array($0) }
        } else {
            var fields = nifti_2_header()
            converted = nifti_convert_nim2n2hdr(image, &fields)
            fields.vox_offset = 544
            header = withUnsafeBytes(of: &fields) { Array($0) }
        }
        guard converted == 0, header.count == (version == .nifti1 ? 348 : 540) else {
            throw DataError(file: path, field: "header", "nifti_clib cannot build the header")
        }
        header += [0, 0, 0, 0]
        let contents = header + reversingAxes(data.to(dtype: type.tensorDType)).toBytes()
        try writeAtomically(path.hasSuffix(".gz") ? try gzipCompress(contents, file: path) : contents, to: url)
    }

    /// Stores `spacing`, the sform and the qform in the library's image struct.
    private func setGeometry(of image: UnsafeMutablePointer<nifti_image>) {
        let matrix = affine.toArray(of: Double.self)
        var transform = nifti_dmat44()
        withUnsafeMutableBytes(of: &transform.m) { raw in
            for (index, value) in matrix.enumerated() {
                raw.storeBytes(of: value, toByteOffset: index * 8, as: Double.self)
            }
        }
        withUnsafeMutableBytes(of: &image.pointee.pixdim) { raw in
            for (axis, value) in spacing.enumerated() {
                raw.storeBytes(of: value, toByteOffset: (axis + 1) * 8, as: Double.self)
            }
        }
        let spacings = spacing + [Double](repeating: 1, count: 7 - spacing.count)
        (image.pointee.dx, image.pointee.dy, image.pointee.dz) = (spacings[0], spacings[1], spacings[2])
        (image.pointee.dt, image.pointee.du, image.pointee.dv, image.pointee.dw) =
            (spacings[3], spacings[4], spacings[5], spacings[6])
        image.pointee.sform_code = Int32(sformCode)
        image.pointee.sto_xyz = transform
        image.pointee.sto_ijk = nifti_dmat44_inverse(transform)
        image.pointee.qform_code = Int32(qformCode)
        var unusedSpacing = (0.0, 0.0, 0.0)
        nifti_dmat44_to_quatern(
            transform, &image.pointee.quatern_b, &image.pointee.quatern_c, &image.pointee.quatern_d,
            &image.pointee.qoffset_x, &image.pointee.qoffset_y, &image.pointee.qoffset_z,
            &unusedSpacing.0, &unusedSpacing.1, &unusedSpacing.2, &image.pointee.qfac)
        image.pointee.qto_xyz = transform
        image.pointee.qto_ijk = image.pointee.sto_ijk
    }
}

/// nifti_clib glue shared by reading and writing.
private enum NIfTILibrary {
    /// nifti_clib prints its complaints to stderr; MRIKit throws them as `DataError`s instead.
    static let silence: Void = nifti_set_debug_level(0)

    /// The elements of a C fixed-size array (imported as a tuple), in memory order.
    static func elements<Tuple, Element>(of tuple: Tuple, as type: Element.Type) -> [Element] {
        withUnsafeBytes(of: tuple) { Array($0.bindMemory(to: Element.self)) }
    }

    /// A row-major tensor of `shape` from the stored voxel bytes.
    static func tensor(_ bytes: UnsafeRawBufferPointer, type: NIfTIDataType, shape: [Int]) -> Tensor {
        switch type {
        case .uint16: Tensor(bytes.bindMemory(to: UInt16.self).map(Int32.init), shape: shape)
        case .uint32: Tensor(bytes.bindMemory(to: UInt32.self).map(Int64.init), shape: shape)
        default: Tensor(bytes: bytes, shape: shape, dtype: type.tensorDType)
        }
    }

    /// Throws when an uncompressed file is shorter than its header's dims and datatype need,
    /// before nifti_clib tries to read it (for `.nii.gz` the gzip reader finds it instead).
    static func checkDataSize(_ image: UnsafeMutablePointer<nifti_image>, file: String) throws {
        let header = image.pointee
        guard nifti_is_gzfile(file) == 0,
            let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int
        else { return }
        let offset = Int(header.iname_offset)
        let needed = Int(header.nvox) * Int(header.nbyper)
        guard offset <= size else {
            throw DataError(
                file: file, field: "vox_offset", "data offset \(offset) is past the end of the file (\(size) bytes)")
        }
        guard needed <= size - offset else {
            let dims = elements(of: header.dim, as: Int64.self)[1...Int(header.ndim)].map(String.init)
            throw DataError(
                file: file, field: "dim",
                "dims [\(dims.joined(separator: ", "))] of \(header.nbyper)-byte voxels need \(needed) bytes "
                    + "after offset \(offset), but the file holds \(size - offset) (truncated, or lying dims)")
        }
    }

    /// Calls `body` with the voxel bytes of `image`'s file in native byte order: a `.nii.gz`
    /// inflated whole by libdeflate where it can (`gunzipWhole`), otherwise read with zlib; an
    /// uncompressed file mapped into memory (its size was checked by `checkDataSize`).
    /// nifti_clib's own loader replaces NaN and infinite floats with zeros, and MRIKit reports
    /// them instead.
    static func withVoxels<Result>(
        _ image: UnsafeMutablePointer<nifti_image>, file: String, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) throws -> Result {
        let header = image.pointee
        let count = Int(header.nvox) * Int(header.nbyper)
        let offset = Int(header.iname_offset)
        let swapped = header.byteorder != nifti_short_order() && header.swapsize > 1
        var voxels: ArraySlice<UInt8>
        if nifti_is_gzfile(file) != 0 {
            if let whole = gunzipWhole(path: file, minimumSize: offset + count) {
                voxels = whole[offset..<(offset + count)]
            } else {
                voxels = try streamVoxels(file: file, offset: offset, count: count)[...]
            }
        } else {
            let mapped = try MappedFile(path: file)
            let stored = UnsafeRawBufferPointer(rebasing: mapped.bytes[offset..<(offset + count)])
            guard swapped else { return try withExtendedLifetime(mapped) { try body(stored) } }
            voxels = ArraySlice(stored)
        }
        if swapped {
            voxels.withUnsafeMutableBytes {
                nifti_swap_Nbytes(Int64(count / Int(header.swapsize)), header.swapsize, $0.baseAddress)
            }
        }
        return try voxels.withUnsafeBytes(body)
    }

    /// `count` bytes after `offset` of `file`, read with zlib's streaming reader.
    private static func streamVoxels(file: String, offset: Int, count: Int) throws -> [UInt8] {
        guard let stream = gzopen(file, "rb") else { throw DataError(file: file, "cannot open") }
        defer { gzclose(stream) }
        var problem: String?
        let voxels = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = gzseek(stream, offset, SEEK_SET) == offset ? 0 : -1
            while done >= 0, done < count {
                let read = gzread(stream, buffer.baseAddress.map { $0 + done }, UInt32(min(count - done, 1 << 30)))
                guard read > 0 else { break }
                done += Int(read)
            }
            if done != count {
                var status: Int32 = Z_OK
                problem = gzerror(stream, &status).map { String(cString: $0) } ?? ""
                // Zero the rest, so the array is fully initialized before it is dropped.
                buffer.baseAddress.map { ($0 + max(done, 0)).initialize(repeating: 0, count: count - max(done, 0)) }
            }
            initialized = count
        }
        if let problem {
            throw DataError(
                file: file, field: "data",
                "cannot read \(count) bytes of voxels after offset \(offset) "
                    + "(truncated or corrupt\(problem.isEmpty ? "" : ": \(problem)"))")
        }
        return voxels
    }

    /// The header's version, after checking the fields nifti_clib would repair or misread;
    /// throws a `DataError` naming the first bad field.
    static func checkHeader(_ file: String) throws -> NIfTIVersion {
        var version: Int32 = 0
        guard let raw = nifti_read_header(file, &version, 0) else {
            if let problem = gzipProblem(file) { throw DataError(file: file, field: "gzip", problem) }
            throw DataError(
                file: file, field: "sizeof_hdr",
                "not a readable NIfTI-1 (348) or NIfTI-2 (540) header: truncated, corrupt or not NIfTI")
        }
        defer { free(raw) }
        let fields: StoredHeader
        if version == 2 {
            let header = raw.assumingMemoryBound(to: nifti_2_header.self).pointee
            fields = StoredHeader(
                size: header.sizeof_hdr, expectedSize: 540, dims: elements(of: header.dim, as: Int64.self),
                datatype: header.datatype, magic: elements(of: header.magic, as: UInt8.self),
                slope: header.scl_slope.bitPattern, intercept: header.scl_inter.bitPattern)
        } else {
            let header = raw.assumingMemoryBound(to: nifti_1_header.self).pointee
            fields = StoredHeader(
                size: header.sizeof_hdr, expectedSize: 348, dims: elements(of: header.dim, as: Int16.self),
                datatype: header.datatype, magic: elements(of: header.magic, as: UInt8.self),
                slope: header.scl_slope.bitPattern, intercept: header.scl_inter.bitPattern)
        }
        try fields.check(file)
        return version == 2 ? .nifti2 : .nifti1
    }
}

/// zlib's complaint about the start of a gzipped file (where a NIfTI header would be), if any.
private func gzipProblem(_ file: String) -> String? {
    guard nifti_is_gzfile(file) != 0, let stream = gzopen(file, "rb") else { return nil }
    defer { gzclose(stream) }
    var buffer = [UInt8](repeating: 0, count: 540)
    let count = gzread(stream, &buffer, UInt32(buffer.count))
    var status: Int32 = Z_OK
    let message = gzerror(stream, &status).map { String(cString: $0) } ?? "zlib error \(status)"
    return count < 0 || status != Z_OK ? "corrupt or truncated gzip stream: \(message)" : nil
}

/// The header fields MRIKit checks, as stored (in either byte order).
private struct StoredHeader {
    let dims: [Int]
    let datatype: Int
    let magic: String
    let slope: Double
    let intercept: Double
    let size: Int
    let expectedSize: Int

    /// Reads the fields in the file's byte order, told by `sizeof_hdr`.
    init<Dim: FixedWidthInteger, Bits: FixedWidthInteger & UnsignedInteger>(
        size: Int32, expectedSize: Int32, dims: [Dim], datatype: Int16, magic: [UInt8], slope: Bits, intercept: Bits
    ) {
        let swapped = size != expectedSize && size.byteSwapped == expectedSize
        func native<Value: FixedWidthInteger>(_ value: Value) -> Value { swapped ? value.byteSwapped : value }
        func real(_ bits: Bits) -> Double {
            let value = native(bits)
            return Bits.bitWidth == 32 ? Double(Float(bitPattern: UInt32(value))) : Double(bitPattern: UInt64(value))
        }
        self.size = Int(native(size))
        self.expectedSize = Int(expectedSize)
        self.dims = dims.map { Int(native($0)) }
        self.datatype = Int(native(datatype))
        self.magic = String(decoding: magic.prefix { $0 != 0 }, as: UTF8.self)
        self.slope = real(slope)
        self.intercept = real(intercept)
    }

    func check(_ file: String) throws {
        guard size == expectedSize else {
            throw DataError(file: file, field: "sizeof_hdr", "\(size), not \(expectedSize)")
        }
        guard ["n+1", "ni1", "n+2", "ni2"].contains(magic) else {
            throw DataError(file: file, field: "magic", "'\(magic)' is not a NIfTI magic")
        }
        guard (1...7).contains(dims[0]) else {
            throw DataError(file: file, field: "dim", "dim[0] is \(dims[0]), not 1 to 7")
        }
        if let axis = (1...dims[0]).first(where: { dims[$0] <= 0 }) {
            throw DataError(file: file, field: "dim", "dim[\(axis)] is \(dims[axis]), not positive")
        }
        guard nifti_is_valid_datatype(Int32(datatype)) != 0 else {
            throw DataError(file: file, field: "datatype", "unknown datatype code \(datatype)")
        }
        if slope != 0, slope.isFinite, !intercept.isFinite {
            throw DataError(file: file, field: "scl_inter", "scl_slope is \(slope) but scl_inter is \(intercept)")
        }
    }
}
