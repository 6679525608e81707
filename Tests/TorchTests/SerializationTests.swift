import Foundation
import Testing

@testable import Torch
import TorchTestSupport

private let directory = Fixture.directory.appendingPathComponent("serialization")

/// Key orders and metadata written by `make_serialization_fixtures.py`.
private struct FixtureKeys: Decodable {
    let pt: [String]
    let nested: [String]
    let safetensors: [String]
    let safetensors_metadata: [String: String]

    static func load() throws -> FixtureKeys {
        let url = Fixture.directory.appendingPathComponent("serialization_keys.json")
        return try JSONDecoder().decode(FixtureKeys.self, from: Data(contentsOf: url))
    }
}

/// The state dict of the golden files; `golden_state_dict()` in the fixture script builds the same.
private func goldenStateDict() -> StateDict {
    let index = (0..<6).map(Double.init)
    let real = index.map { ($0 - 2.5) * 0.75 }
    let dtypes: [DType] = [
        .bool, .uint8, .int8, .int16, .int32, .int64, .float16, .bfloat16, .float32, .float64, .complex64, .complex128,
    ]
    var state = StateDict()
    for dtype in dtypes {
        let values: Tensor
        switch dtype {
        case .bool: values = Tensor(index.map { $0.truncatingRemainder(dividingBy: 3) == 0 }, shape: [2, 3])
        case .uint8: values = Tensor(index.map { 50 * $0 }, shape: [2, 3]).to(dtype: dtype)
        case .complex64, .complex128:
            let parts = Tensor(zip(real, index).flatMap { [$0, 0.5 * $1] }, shape: [2, 3, 2])
            values = parts.viewAsComplex().to(dtype: dtype)
        case .float16, .bfloat16, .float32, .float64: values = Tensor(real, shape: [2, 3]).to(dtype: dtype)
        default: values = Tensor(index.map { 7 * $0 - 12 }, shape: [2, 3]).to(dtype: dtype)
        }
        state["t_\(dtype)"] = values
    }
    state["transposed"] = state["t_float32"]!.T
    state["empty"] = Tensor([Float](), shape: [0, 3])
    state["scalar"] = Tensor(scalar: 2.5)
    return state
}

/// A fresh temporary directory; the caller removes it.
private func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mrikit-serialization-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Expects `body` to throw a `SerializationError` about `file` whose message contains `fragment`.
private func expectSerializationError(
    _ fragment: String = "", file: URL, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("no error thrown (expected '\(fragment)')", sourceLocation: sourceLocation)
    } catch let error as SerializationError {
        #expect(error.file == file.path, sourceLocation: sourceLocation)
        #expect(error.description.hasPrefix(file.path), sourceLocation: sourceLocation)
        #expect(
            fragment.isEmpty || error.problem.contains(fragment), "message: \(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}

/// Expects both state dicts to hold the same names in the same order, with equal dtypes, shapes and bytes.
private func expectIdentical(
    _ actual: StateDict, _ expected: StateDict, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.keys == expected.keys, sourceLocation: sourceLocation)
    for (name, tensor) in expected {
        guard let loaded = actual[name] else { continue }
        #expect(loaded.dtype == tensor.dtype, "\(name)", sourceLocation: sourceLocation)
        #expect(loaded.shape == tensor.shape, "\(name)", sourceLocation: sourceLocation)
        #expect(loaded.toBytes() == tensor.toBytes(), "\(name)", sourceLocation: sourceLocation)
    }
}

/// Writes a `.pt`-style ZIP holding `data.pkl` = `pickle` and the given storage records.
private func writeCheckpointArchive(_ url: URL, pickle: [UInt8], storages: [String: [UInt8]] = [:]) throws {
    try AtomicFileWriter.write(to: url) { output in
        var archive = ZipWriter(writingTo: output)
        try archive.add("archive/data.pkl", pickle)
        for (key, bytes) in storages.sorted(by: { $0.key < $1.key }) { try archive.add("archive/data/\(key)", bytes) }
        try archive.finish()
    }
}

/// Pushes `_rebuild_tensor_v2(storage "0" of `storageCount` floats, offset, shape, strides, False, OrderedDict())`.
private func pushTensor(_ writer: inout PickleWriter, storageCount: Int, offset: Int = 0, shape: [Int], strides: [Int])
{
    writer.global("torch._utils", "_rebuild_tensor_v2")
    writer.tuple { writer in
        writer.tuple { writer in
            writer.string("storage")
            writer.global("torch", "FloatStorage")
            writer.string("0")
            writer.string("cpu")
            writer.int(storageCount)
        }
        writer.persistentID()
        writer.int(offset)
        writer.intTuple(shape)
        writer.intTuple(strides)
        writer.bool(false)
        pushEmptyOrderedDict(&writer)
    }
    writer.reduce()
}

private func pushEmptyOrderedDict(_ writer: inout PickleWriter) {
    writer.global("collections", "OrderedDict")
    writer.emptyTuple()
    writer.reduce()
}

/// A pickled `OrderedDict` of the entries `body` pushes.
private func dictionaryPickle(_ body: (inout PickleWriter) -> Void) -> [UInt8] {
    var writer = PickleWriter()
    pushEmptyOrderedDict(&writer)
    writer.setItems(body)
    writer.stop()
    return writer.bytes
}

/// A pickled `{"w": tensor}` over storage "0" of `storageCount` floats.
private func tensorPickle(storageCount: Int, offset: Int, shape: [Int], strides: [Int]) -> [UInt8] {
    dictionaryPickle { writer in
        writer.string("w")
        pushTensor(&writer, storageCount: storageCount, offset: offset, shape: shape, strides: strides)
    }
}

/// A pickled `{"a.b": w, "a": {"b": w}}`: two keys that flatten to the same name.
private func duplicateKeyPickle() -> [UInt8] {
    dictionaryPickle { writer in
        writer.string("a.b")
        pushTensor(&writer, storageCount: 6, shape: [6], strides: [1])
        writer.string("a")
        pushEmptyOrderedDict(&writer)
        writer.setItems { writer in
            writer.string("b")
            pushTensor(&writer, storageCount: 6, shape: [6], strides: [1])
        }
    }
}

@Suite("Serialization")
struct SerializationTests {
    // MARK: Files written by PyTorch

    // Tolerance 0 throughout: loading copies the stored bytes, and the JSON holds every value exactly.

    @Test("a torch.save state dict with views and every dtype loads with PyTorch's keys, order and values")
    func readTorchSave() throws {
        let expected = try Fixture("serialization_expected")
        let loaded = try TorchCheckpoint.load(from: directory.appendingPathComponent("torch_saved.pt"))
        #expect(loaded.keys == (try FixtureKeys.load()).pt)
        for (name, tensor) in loaded {
            let reference = expected.tensor("pt/\(name)")
            #expect(tensor.dtype == reference.dtype, "\(name)")
            #expect(tensor.isContiguous, "\(name)")
            expectClose(tensor, reference, tolerance: 0, "\(name)")
        }
    }

    @Test("nested dicts and an nn.Parameter in a torch.save file load with dotted keys")
    func readNestedTorchSave() throws {
        let expected = try Fixture("serialization_expected")
        let loaded = try TorchCheckpoint.load(fromPath: directory.appendingPathComponent("torch_nested.pt").path)
        #expect(loaded.keys == (try FixtureKeys.load()).nested)
        for (name, tensor) in loaded {
            #expect(tensor.dtype == expected.tensor("nested/\(name)").dtype, "\(name)")
            expectClose(tensor, expected.tensor("nested/\(name)"), tolerance: 0, "\(name)")
        }
    }

    @Test("a safetensors file from the Python library loads in data order with its metadata and values")
    func readSafeTensors() throws {
        let expected = try Fixture("serialization_expected")
        let keys = try FixtureKeys.load()
        let (loaded, metadata) = try SafeTensors.read(
            from: directory.appendingPathComponent("python_saved.safetensors"))
        #expect(loaded.keys == keys.safetensors)
        #expect(metadata == keys.safetensors_metadata)
        for (name, tensor) in loaded {
            #expect(tensor.dtype == expected.tensor("safetensors/\(name)").dtype, "\(name)")
            expectClose(tensor, expected.tensor("safetensors/\(name)"), tolerance: 0, "\(name)")
        }
    }

    // MARK: Round trips and the golden files

    @Test("every dtype, a non-contiguous tensor, a 0-d and an empty tensor round-trip through .pt")
    func roundTripCheckpoint() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("state.pt")
        try TorchCheckpoint.save(goldenStateDict(), to: url)
        expectIdentical(try TorchCheckpoint.load(from: url), goldenStateDict())
    }

    @Test("every safetensors dtype round-trips with metadata; complex128 throws naming the tensor")
    func roundTripSafeTensors() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("state.safetensors")
        var state = goldenStateDict()
        state["t_complex128"] = nil
        let metadata = ["format": "pt", "quote\"and\\slash": "line\nbreak"]
        try SafeTensors.save(state, to: url, metadata: metadata)
        let (loaded, loadedMetadata) = try SafeTensors.read(from: url)
        #expect(loadedMetadata == metadata)
        // safetensors files keep data in write order, so the order comes back too.
        expectIdentical(loaded, state)
        expectSerializationError("tensor 't_complex128': safetensors has no complex128", file: url) {
            try SafeTensors.save(goldenStateDict(), to: url)
        }
    }

    @Test("the writers still produce the golden files byte for byte (the files PyTorch checked)")
    func goldenFiles() throws {
        var safeState = goldenStateDict()
        safeState["t_complex128"] = nil
        let writers: [(String, (URL) throws -> Void)] = [
            ("written_by_mrikit.pt", { try TorchCheckpoint.save(goldenStateDict(), to: $0) }),
            (
                "written_by_mrikit.safetensors",
                { try SafeTensors.save(safeState, to: $0, metadata: ["format": "pt", "source": "MRIKit"]) }
            ),
        ]
        let regenerate = ProcessInfo.processInfo.environment["MRIKIT_WRITE_SERIALIZATION_GOLDEN"] == "1"
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, write) in writers {
            let golden = directory.appendingPathComponent(name)
            if regenerate { try write(golden) }
            let url = folder.appendingPathComponent(name)
            try write(url)
            #expect(try Data(contentsOf: url) == Data(contentsOf: golden), "\(name) differs from the golden file")
        }
    }

    @Test("a write that fails midway leaves the existing file untouched and no temporary file behind")
    func atomicWrite() throws {
        struct Interrupted: Error {}
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("keep.pt")
        try TorchCheckpoint.save(["a": Tensor([1, 2] as [Float])], to: url)
        let before = try Data(contentsOf: url)
        #expect(throws: Interrupted.self) {
            try AtomicFileWriter.write(to: url) { output in
                try output.write([1, 2, 3])
                throw Interrupted()
            }
        }
        #expect(try Data(contentsOf: url) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["keep.pt"])
        let missing = folder.appendingPathComponent("no-such-folder/x.pt")
        expectSerializationError("cannot create a temporary file", file: missing) {
            try TorchCheckpoint.save(["a": Tensor([1] as [Float])], to: missing)
        }
    }

    // MARK: Corrupt files

    @Test(
        "a .pt file truncated anywhere throws an error naming the file and the truncation",
        arguments: [4, 21, 100, 1000, 4000, -60, -23, -1])
    func truncatedCheckpoint(cut: Int) throws {
        let bytes = try Data(contentsOf: directory.appendingPathComponent("torch_saved.pt"))
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("cut.pt")
        try bytes.prefix(cut >= 0 ? cut : bytes.count + cut).write(to: url)
        expectSerializationError("truncated ZIP archive", file: url) { _ = try TorchCheckpoint.load(from: url) }
    }

    @Test("corrupt .pt archives throw errors naming the problem")
    func corruptCheckpoint() throws {
        let original = try Data(contentsOf: directory.appendingPathComponent("torch_saved.pt"))
        let centralSignature = Data([0x50, 0x4B, 0x01, 0x02])
        let central = try #require(original.range(of: centralSignature))
        let archive = try ZipReader(original, file: "torch_saved.pt")
        let storageName = "torch_saved/data/3"
        let storageEntry = try #require(archive.entry(storageName))
        // Data starts on the first 64-byte boundary after the local header and its 4-byte padding field.
        let storageData = (storageEntry.localHeaderOffset + 30 + storageName.utf8.count + 4 + 63) / 64 * 64
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("bad.pt")

        var badSignature = original
        badSignature[central.lowerBound] = 0x51
        try badSignature.write(to: url)
        expectSerializationError("bad ZIP central directory signature", file: url) {
            _ = try TorchCheckpoint.load(from: url)
        }

        // The ZIP64 end record's central directory size (8 bytes at +40) pointing past the end of the file.
        var oversized = original
        let zip64Record = try #require(original.range(of: Data([0x50, 0x4B, 0x06, 0x06]))).lowerBound
        oversized.replaceSubrange(zip64Record + 40..<zip64Record + 48, with: [0xFF, 0xFF, 0, 0, 0, 0, 0, 0])
        try oversized.write(to: url)
        expectSerializationError("truncated ZIP central directory (65535 bytes", file: url) {
            _ = try TorchCheckpoint.load(from: url)
        }

        try Data(repeating: 7, count: 300).write(to: url)
        expectSerializationError("not a ZIP archive", file: url) { _ = try TorchCheckpoint.load(from: url) }

        var flipped = original
        flipped[storageData] ^= 0xFF
        try flipped.write(to: url)
        expectSerializationError("CRC-32 mismatch in ZIP entry 'torch_saved/data/3'", file: url) {
            _ = try TorchCheckpoint.load(from: url)
        }
    }

    @Test("bad pickles and storages in a .pt archive throw errors naming the problem")
    func corruptPickle() throws {
        let floats = [UInt8](repeating: 0, count: 4 * 6)
        let cases: [(String, [UInt8], [String: [UInt8]])] = [
            ("unsupported pickle opcode 0xff", [0x80, 0x02, 0xFF], [:]),
            (
                "unsupported pickle global os.system",
                [0x80, 0x02] + Array("cos\nsystem\n(X".utf8) + [1, 0, 0, 0] + Array("ltR.".utf8), [:]
            ),
            (
                "missing ZIP entry 'archive/data/0'",
                tensorPickle(storageCount: 6, offset: 0, shape: [2, 3], strides: [3, 1]), [:]
            ),
            (
                "lies outside its storage of 6 elements",
                tensorPickle(storageCount: 6, offset: 1, shape: [2, 3], strides: [3, 1]), ["0": floats]
            ),
            (
                "lies outside its storage", tensorPickle(storageCount: 6, offset: 0, shape: [2, 3], strides: [-3, 1]),
                ["0": floats]
            ),
            (
                "storage '0' holds 24 bytes", tensorPickle(storageCount: 7, offset: 0, shape: [7], strides: [1]),
                ["0": floats]
            ),
            (
                "truncated pickle",
                Array(tensorPickle(storageCount: 6, offset: 0, shape: [6], strides: [1]).dropLast(9)), ["0": floats]
            ),
            ("the checkpoint is an int", [0x80, 0x02, 0x4B, 0x05, 0x2E], [:]),
            // Tuples nested 300 000 deep (recursive release would overflow the stack).
            ("the checkpoint is a tuple", [0x80, 0x02, 0x29] + [UInt8](repeating: 0x85, count: 300_000) + [0x2E], [:]),
            // d = {}; d["a"] = d
            (
                "dicts nested more than 100 deep",
                [0x80, 0x02, 0x7D, 0x71, 0x00, 0x58, 1, 0, 0, 0, 0x61, 0x68, 0x00, 0x73, 0x2E], [:]
            ),
            ("key 'a.b' occurs twice", duplicateKeyPickle(), ["0": floats]),
            ("truncated pickle string", [0x80, 0x02, 0x58, 0xFF, 0xFF, 0xFF, 0x7F, 0x61], [:]),
        ]
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("bad.pt")
        for (message, pickle, storages) in cases {
            try writeCheckpointArchive(url, pickle: pickle, storages: storages)
            expectSerializationError(message, file: url) { _ = try TorchCheckpoint.load(from: url) }
        }
    }

    @Test("an entry whose sizes and offset are in a ZIP64 extra field reads (as in archives over 4 GiB)")
    func zip64EntryFields() throws {
        let name = Array("archive/x".utf8)
        let payload: [UInt8] = [1, 2, 3, 4, 5]
        let crc = payload.withUnsafeBytes { crc32($0) }
        var bytes: [UInt8] = []
        bytes.appendLittleEndian(UInt32(0x0403_4B50))
        bytes += [UInt8](repeating: 0, count: 22)  // version, flags, method, time, date, CRC, sizes
        bytes.appendLittleEndian(UInt16(name.count))
        bytes.appendLittleEndian(UInt16(0))
        bytes += name + payload
        let directory = bytes.count
        bytes.appendLittleEndian(UInt32(0x0201_4B50))
        bytes += [UInt8](repeating: 0, count: 12)  // versions, flags, method, time, date
        bytes.appendLittleEndian(crc)
        bytes.appendLittleEndian(UInt32.max)  // compressed size: in the ZIP64 field
        bytes.appendLittleEndian(UInt32.max)  // size: in the ZIP64 field
        bytes.appendLittleEndian(UInt16(name.count))
        bytes.appendLittleEndian(UInt16(4 + 24))
        bytes += [UInt8](repeating: 0, count: 10)  // comment length, disk, attributes
        bytes.appendLittleEndian(UInt32.max)  // local header offset: in the ZIP64 field
        bytes += name
        bytes.appendLittleEndian(UInt16(1))
        bytes.appendLittleEndian(UInt16(24))
        bytes.appendLittleEndian(UInt64(payload.count))
        bytes.appendLittleEndian(UInt64(payload.count))
        bytes.appendLittleEndian(UInt64(0))
        let directorySize = bytes.count - directory
        bytes.appendLittleEndian(UInt32(0x0605_4B50))
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(UInt16(1))
        bytes.appendLittleEndian(UInt16(1))
        bytes.appendLittleEndian(UInt32(directorySize))
        bytes.appendLittleEndian(UInt32(directory))
        bytes.appendLittleEndian(UInt16(0))
        let archive = try ZipReader(Data(bytes), file: "zip64.zip")
        #expect(try archive.contents(of: "archive/x") == Data(payload))
    }

    @Test("a safetensors file truncated anywhere throws an error naming the file", arguments: [0, 5, 8, 40, -1])
    func truncatedSafeTensors(cut: Int) throws {
        let bytes = try Data(contentsOf: directory.appendingPathComponent("python_saved.safetensors"))
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("cut.safetensors")
        try bytes.prefix(cut >= 0 ? cut : bytes.count + cut).write(to: url)
        expectSerializationError(file: url) { _ = try SafeTensors.load(from: url) }
    }

    @Test("corrupt safetensors headers throw errors naming the problem")
    func corruptSafeTensors() throws {
        let data = [UInt8](repeating: 0, count: 24)
        let cases: [(String, String)] = [
            ("header is not valid JSON", #"{"w": {"dtype": "F32", "#),
            ("header is not a JSON object", "[1, 2]"),
            ("unknown or unsupported dtype 'F8_E4M3'", #"{"w":{"dtype":"F8_E4M3","shape":[6],"data_offsets":[0,6]}}"#),
            (
                "tensor 'w' data range [0, 1000) outside the data section of 24 bytes",
                #"{"w":{"dtype":"F32","shape":[6],"data_offsets":[0,1000]}}"#
            ),
            (
                "holds 20 bytes, shape [6] of float32 needs 24",
                #"{"w":{"dtype":"F32","shape":[6],"data_offsets":[4,24]}}"#
            ),
            (
                "shape is not a list of non-negative integers",
                #"{"w":{"dtype":"F32","shape":[-6],"data_offsets":[0,24]}}"#
            ),
            ("data_offsets is not a pair of integers", #"{"w":{"dtype":"F32","shape":[6],"data_offsets":[0.5,24]}}"#),
            ("__metadata__ is not an object of strings", #"{"__metadata__":{"a":1}}"#),
        ]
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("bad.safetensors")
        for (message, header) in cases {
            var bytes: [UInt8] = []
            bytes.appendLittleEndian(UInt64(header.utf8.count))
            try Data(bytes + Array(header.utf8) + data).write(to: url)
            expectSerializationError(message, file: url) { _ = try SafeTensors.load(from: url) }
        }
        var huge: [UInt8] = []
        huge.appendLittleEndian(UInt64(9_999_999))
        try Data(huge + Array("{}".utf8)).write(to: url)
        expectSerializationError("header length 9999999 exceeds file size 10", file: url) {
            _ = try SafeTensors.load(from: url)
        }
    }
}
