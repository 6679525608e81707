import Foundation

private let asStrided = ATenOperator("aten::as_strided")

/// PyTorch `.pt` state dicts: files `torch.save(model.state_dict(), path)` writes and
/// `torch.load(path)` reads (with its default `weights_only=True`).
///
/// The format is a ZIP archive of stored entries: `<archive>/data.pkl` (a pickle of an
/// `OrderedDict` whose tensors reference storages by key), the raw little-endian bytes
/// of each storage in `<archive>/data/<key>`, and small version records.
public enum TorchCheckpoint {
    /// The archive's top-level folder. `torch.save` uses the file's stem; `torch.load`
    /// takes whatever folder holds `data.pkl`, so a fixed name keeps output reproducible.
    static let archiveName = "archive"

    /// Reads the tensors of a `.pt` file written by `torch.save`.
    ///
    /// The pickle must hold a dict (or `OrderedDict`) of tensors; nested dicts are
    /// flattened with dotted keys (`{"model": {"w": t}}` gives `model.w`). Views are
    /// honoured (storage offset, shape and strides); each loaded tensor is dense and
    /// row-major, on the CPU, without gradient tracking.
    /// - Throws: `SerializationError` naming the file and the problem when the file is
    ///   not such a checkpoint, is truncated or corrupt, or holds something other than tensors.
    public static func load(from url: URL) throws -> StateDict {
        let file = url.path
        let archive = try ZipReader(try readFileContents(url), file: file)
        guard
            let pickle = archive.entries.first(where: {
                $0.name.hasSuffix("/data.pkl") && $0.name.split(separator: "/").count == 2
            })
        else { throw SerializationError(file: file, "no <archive>/data.pkl record: not a torch.save checkpoint") }
        let prefix = String(pickle.name.dropLast("data.pkl".count))
        if archive.entry(prefix + "byteorder") != nil {
            let order = try archive.contents(of: prefix + "byteorder")
            guard order.elementsEqual("little".utf8) else {
                throw SerializationError(
                    file: file,
                    "byte order '\(String(decoding: order, as: UTF8.self))' is not supported (only little-endian)")
            }
        }
        let records = try PickleReader.read(try archive.contents(of: pickle.name), file: file, entry: pickle.name) {
            var records: [(String, PickleTensor)] = []
            try flatten($0, path: "", depth: 0, file: file, into: &records)
            return records
        }
        var storages: [String: Data] = [:]
        var result = StateDict()
        for (name, record) in records {
            guard result[name] == nil else {
                throw SerializationError(file: file, "key '\(name)' occurs twice after flattening nested dicts")
            }
            let key = record.storage.key
            let bytes = try storages[key] ?? archive.contents(of: prefix + "data/" + key)
            storages[key] = bytes
            result[name] = try tensor(record, named: name, storage: bytes, file: file)
        }
        return result
    }

    /// Reads a `.pt` file at `path`; see `load(from:)`.
    public static func load(fromPath path: String) throws -> StateDict {
        try load(from: URL(fileURLWithPath: path))
    }

    /// Nested dicts deeper than this are rejected (it also stops a dict that contains itself).
    private static let nestingLimit = 100

    private static func flatten(
        _ value: PickleValue, path: String, depth: Int, file: String, into records: inout [(String, PickleTensor)]
    ) throws {
        guard depth <= nestingLimit else {
            throw SerializationError(
                file: file, "dicts nested more than \(nestingLimit) deep at '\(path.prefix(200))...'")
        }
        switch value {
        case .tensor(let tensor):
            records.append((path, tensor))
        case .dict(let dictionary):
            for (key, value) in dictionary.entries {
                let name: String
                switch key {
                case .string(let text): name = text
                case .int(let index): name = String(index)
                default: throw SerializationError(file: file, "dict key \(key.kind) at '\(path)' is not a string")
                }
                try flatten(
                    value, path: path.isEmpty ? name : "\(path).\(name)", depth: depth + 1, file: file, into: &records)
            }
        default:
            let location = path.isEmpty ? "the checkpoint" : "entry '\(path)'"
            throw SerializationError(file: file, "\(location) is \(value.kind), not a tensor or a dict of tensors")
        }
    }

    /// The dense tensor a strided view of `storage` describes, after checking the view
    /// lies inside the storage.
    private static func tensor(_ record: PickleTensor, named name: String, storage: Data, file: String) throws -> Tensor
    {
        let dtype = record.storage.dtype
        let (expectedBytes, overflow) = record.storage.count.multipliedReportingOverflow(by: dtype.elementSize)
        guard !overflow, storage.count == expectedBytes else {
            throw SerializationError(
                file: file,
                "storage '\(record.storage.key)' holds \(storage.count) bytes, "
                    + "but tensor '\(name)' declares \(record.storage.count) \(dtype) elements"
            )
        }
        guard let count = StorageLayout.elementCount(record.shape), record.offset >= 0,
            record.strides.allSatisfy({ $0 >= 0 }),
            let last = lastElement(of: record), last < record.storage.count || count == 0
        else {
            throw SerializationError(
                file: file,
                "tensor '\(name)' (offset \(record.offset), shape \(record.shape), strides \(record.strides)) "
                    + "lies outside its storage of \(record.storage.count) elements"
            )
        }
        let size = dtype.elementSize
        if count == 0 {
            return Tensor(bytes: UnsafeRawBufferPointer(start: nil, count: 0), shape: record.shape, dtype: dtype)
        }
        if isRowMajor(record) {
            let start = storage.startIndex + record.offset * size
            return storage[start..<start + count * size].withUnsafeBytes {
                Tensor(bytes: $0, shape: record.shape, dtype: dtype)
            }
        }
        let flat = storage.withUnsafeBytes { Tensor(bytes: $0, shape: [record.storage.count], dtype: dtype) }
        return asStrided(.tensor(flat), .ints(record.shape), .ints(record.strides), .int(record.offset)).contiguous()
    }

    /// The storage index of the view's last element, or nil on overflow.
    private static func lastElement(of record: PickleTensor) -> Int? {
        var index = record.offset
        for (size, stride) in zip(record.shape, record.strides) where size > 0 {
            let (step, overflow) = (size - 1).multipliedReportingOverflow(by: stride)
            let (sum, sumOverflow) = index.addingReportingOverflow(step)
            guard !overflow, !sumOverflow else { return nil }
            index = sum
        }
        return index
    }

    private static func isRowMajor(_ record: PickleTensor) -> Bool {
        zip(record.shape, zip(record.strides, StorageLayout.contiguousStrides(record.shape))).allSatisfy {
            size, strides in
            size == 1 || strides.0 == strides.1
        }
    }

    /// Writes `stateDict` as a `.pt` file that `torch.load(path)` reads with its default
    /// `weights_only=True`, in `torch.save`'s layout (an `OrderedDict` of tensors rebuilt
    /// by `torch._utils._rebuild_tensor_v2`, one storage per tensor, 64-byte aligned data).
    ///
    /// Tensors are written dense and row-major from the CPU (GPU tensors are copied back),
    /// without gradient tracking. The output depends only on the names, shapes, dtypes and
    /// values, and is written atomically (temporary file, then rename).
    public static func save(_ stateDict: StateDict, to url: URL) throws {
        var pickle = PickleWriter()
        pickle.global("collections", "OrderedDict")
        pickle.emptyTuple()
        pickle.reduce()
        if !stateDict.isEmpty {
            pickle.setItems { writer in
                for (index, (name, tensor)) in stateDict.enumerated() {
                    writeTensor(tensor, named: name, storageKey: String(index), to: &writer)
                }
            }
        }
        pickle.stop()
        try AtomicFileWriter.write(to: url) { output in
            var archive = ZipWriter(writingTo: output)
            let prefix = archiveName + "/"
            try archive.add(prefix + "data.pkl", pickle.bytes)
            try archive.add(prefix + ".format_version", Array("1".utf8))
            try archive.add(prefix + ".storage_alignment", Array(String(ZipWriter.alignment).utf8))
            try archive.add(prefix + "byteorder", Array("little".utf8))
            for (index, entry) in stateDict.enumerated() {
                try archive.add(prefix + "data/\(index)", entry.tensor.toBytes())
            }
            try archive.add(prefix + "version", Array("3\n".utf8))
            // torch.save writes a random id that torch.load only logs; a digest of the
            // records keeps this file reproducible.
            try archive.add(prefix + ".data/serialization_id", Array(archive.digest.utf8))
            try archive.finish()
        }
    }

    /// Writes a `.pt` file at `path`; see `save(_:to:)`.
    public static func save(_ stateDict: StateDict, toPath path: String) throws {
        try save(stateDict, to: URL(fileURLWithPath: path))
    }

    /// Pushes `name` and `_rebuild_tensor_v2((storage), 0, shape, strides, False, OrderedDict())`.
    private static func writeTensor(
        _ tensor: Tensor, named name: String, storageKey: String, to writer: inout PickleWriter
    ) {
        let shape = tensor.shape
        guard let storageType = torchStorageTypes.first(where: { $0.dtype == tensor.dtype }) else {
            preconditionFailure("no torch storage type for \(tensor.dtype)")
        }
        writer.string(name)
        writer.global("torch._utils", "_rebuild_tensor_v2")
        writer.tuple { writer in
            writer.tuple { writer in
                writer.string("storage")
                writer.global("torch", storageType.name)
                writer.string(storageKey)
                writer.string("cpu")
                writer.int(tensor.count)
            }
            writer.persistentID()
            writer.int(0)
            writer.intTuple(shape)
            writer.intTuple(StorageLayout.contiguousStrides(shape))
            writer.bool(false)
            writer.global("collections", "OrderedDict")
            writer.emptyTuple()
            writer.reduce()
        }
        writer.reduce()
    }
}
