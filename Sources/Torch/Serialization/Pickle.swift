import Foundation

/// A value decoded from the pickle subset that `torch.save` writes and PyTorch's
/// weights-only loader accepts. Containers are reference types because pickle mutates
/// them after they were memoized (`SETITEMS` on a dict that `BINPUT` already stored).
enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case tuple(PickleList)
    case list(PickleList)
    case dict(PickleDictionary)
    case global(module: String, name: String)
    case storage(PickleStorage)
    case tensor(PickleTensor)

    /// A short description for error messages.
    var kind: String {
        switch self {
        case .none: "None"
        case .bool: "a bool"
        case .int: "an int"
        case .float: "a float"
        case .string: "a string"
        case .tuple: "a tuple"
        case .list: "a list"
        case .dict: "a dict"
        case .global(let module, let name): "\(module).\(name)"
        case .storage: "a storage"
        case .tensor: "a tensor"
        }
    }
}

/// A pickled tuple, list or dict. A crafted pickle can nest containers a million deep or in
/// cycles (through the memo), which ARC would release recursively or never; so the reader
/// keeps every container it makes and empties them all when done (see `PickleReader.read`).
protocol PickleContainer: AnyObject {
    func removeAll()
}

/// A tuple or a list.
final class PickleList: PickleContainer {
    var items: [PickleValue]

    init(_ items: [PickleValue] = []) { self.items = items }

    func removeAll() { items.removeAll() }
}

/// A dict in insertion order (Python dicts and `OrderedDict`s keep it).
final class PickleDictionary: PickleContainer {
    private(set) var entries: [(key: PickleValue, value: PickleValue)] = []
    private var stringKeys: [String: Int] = [:]

    func set(_ key: PickleValue, _ value: PickleValue) {
        if case .string(let name) = key {
            if let position = stringKeys[name] {
                entries[position].value = value
                return
            }
            stringKeys[name] = entries.count
        }
        entries.append((key, value))
    }

    func removeAll() {
        entries.removeAll()
        stringKeys.removeAll()
    }
}

/// A typed storage named by a `persistent_load` id: `('storage', torch.FloatStorage, key, location, numel)`.
struct PickleStorage {
    let dtype: DType
    let key: String
    let count: Int
}

/// A tensor from `torch._utils._rebuild_tensor_v2`: a strided view of a storage.
struct PickleTensor {
    let storage: PickleStorage
    let offset: Int
    let shape: [Int]
    let strides: [Int]
}

/// PyTorch's storage class names (`torch.FloatStorage`, ...) and their element types.
let torchStorageTypes: [(name: String, dtype: DType)] = [
    ("FloatStorage", .float32), ("DoubleStorage", .float64), ("HalfStorage", .float16),
    ("BFloat16Storage", .bfloat16), ("LongStorage", .int64), ("IntStorage", .int32), ("ShortStorage", .int16),
    ("CharStorage", .int8), ("ByteStorage", .uint8), ("BoolStorage", .bool), ("ComplexFloatStorage", .complex64),
    ("ComplexDoubleStorage", .complex128),
]

private enum Opcode {
    static let proto: UInt8 = 0x80
    static let stop = UInt8(ascii: ".")
    static let global = UInt8(ascii: "c")
    static let reduce = UInt8(ascii: "R")
    static let build = UInt8(ascii: "b")
    static let append = UInt8(ascii: "a")
    static let appends = UInt8(ascii: "e")
    static let setItem = UInt8(ascii: "s")
    static let setItems = UInt8(ascii: "u")
    static let mark = UInt8(ascii: "(")
    static let tuple = UInt8(ascii: "t")
    static let tuple1: UInt8 = 0x85
    static let tuple2: UInt8 = 0x86
    static let tuple3: UInt8 = 0x87
    static let none = UInt8(ascii: "N")
    static let newFalse: UInt8 = 0x89
    static let newTrue: UInt8 = 0x88
    static let emptyTuple = UInt8(ascii: ")")
    static let emptyList = UInt8(ascii: "]")
    static let emptyDict = UInt8(ascii: "}")
    static let binInt = UInt8(ascii: "J")
    static let binInt1 = UInt8(ascii: "K")
    static let binInt2 = UInt8(ascii: "M")
    static let long1: UInt8 = 0x8A
    static let binFloat = UInt8(ascii: "G")
    static let binUnicode = UInt8(ascii: "X")
    static let shortBinString = UInt8(ascii: "U")
    static let binPersistentID = UInt8(ascii: "Q")
    static let binGet = UInt8(ascii: "h")
    static let longBinGet = UInt8(ascii: "j")
    static let binPut = UInt8(ascii: "q")
    static let longBinPut = UInt8(ascii: "r")
}

/// Decodes a pickle stream of tensors and plain containers. Only the opcodes and globals of
/// PyTorch's weights-only loader are accepted, so no pickle can run code or build other objects.
struct PickleReader {
    private var input: ByteReader
    private let entry: String
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    private var containers: [PickleContainer] = []

    /// Reads the pickle in `data` and passes its value to `body`; `entry` names the pickle
    /// in errors (e.g. `archive/data.pkl`). The value's containers are emptied after `body`.
    static func read<Result>(
        _ data: Data, file: String, entry: String, _ body: (PickleValue) throws -> Result
    ) throws -> Result {
        var reader = PickleReader(input: ByteReader(data, file: file), entry: entry)
        defer { reader.releaseContainers() }
        return try body(try reader.run())
    }

    /// Empties every container while all are still held here, so none is released recursively.
    private mutating func releaseContainers() {
        stack.removeAll()
        memo.removeAll()
        for container in containers { container.removeAll() }
        containers.removeAll()
    }

    private mutating func list(_ items: [PickleValue] = []) -> PickleList {
        let list = PickleList(items)
        containers.append(list)
        return list
    }

    private mutating func dictionary() -> PickleDictionary {
        let dictionary = PickleDictionary()
        containers.append(dictionary)
        return dictionary
    }

    private init(input: ByteReader, entry: String) {
        self.input = input
        self.entry = entry
    }

    private func error(_ problem: String) -> SerializationError {
        input.error("\(entry): \(problem) (at byte \(input.position))")
    }

    private mutating func pop() throws -> PickleValue {
        guard let value = stack.popLast(), stack.count >= (marks.last ?? 0) else {
            throw error("pickle stack underflow")
        }
        return value
    }

    private mutating func popToMark() throws -> [PickleValue] {
        guard let mark = marks.popLast(), mark <= stack.count else { throw error("pickle MARK missing") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private mutating func integer(size: Int) throws -> Int {
        Int(try input.readUnsigned(size: size, "pickle argument"))
    }

    private mutating func text(count: Int) throws -> String {
        guard let value = String(bytes: try input.read(count: count, "pickle string"), encoding: .utf8) else {
            throw error("pickle string is not UTF-8")
        }
        return value
    }

    private mutating func line() throws -> String {
        var bytes: [UInt8] = []
        while true {
            let byte = try input.readByte("pickle GLOBAL name")
            if byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
        }
        guard let value = String(bytes: bytes, encoding: .utf8) else { throw error("pickle GLOBAL name is not UTF-8") }
        return value
    }

    private mutating func run() throws -> PickleValue {
        while true {
            let opcode = try input.readByte("pickle opcode")
            switch opcode {
            case Opcode.proto: _ = try input.readByte("pickle protocol")
            case Opcode.stop:
                guard stack.count == 1, marks.isEmpty else {
                    throw error("pickle STOP with \(stack.count) values on the stack")
                }
                return stack[0]
            case Opcode.global: stack.append(.global(module: try line(), name: try line()))
            case Opcode.reduce:
                let arguments = try pop()
                let callable = try pop()
                stack.append(try reduce(callable, arguments))
            case Opcode.build:
                // State set on an OrderedDict (its `_metadata`) or a tensor carries no tensor data.
                let state = try pop()
                guard let target = stack.last else { throw error("pickle stack underflow") }
                switch target {
                case .dict, .tensor: break
                default: throw error("pickle BUILD of \(target.kind) with \(state.kind) is not supported")
                }
            case Opcode.append:
                let value = try pop()
                try appendItems([value])
            case Opcode.appends: try appendItems(try popToMark())
            case Opcode.setItem:
                let value = try pop()
                let key = try pop()
                try setItems([key, value])
            case Opcode.setItems: try setItems(try popToMark())
            case Opcode.mark: marks.append(stack.count)
            case Opcode.tuple: stack.append(.tuple(list(try popToMark())))
            case Opcode.tuple1, Opcode.tuple2, Opcode.tuple3:
                let count = Int(opcode - Opcode.tuple1) + 1
                var items: [PickleValue] = []
                for _ in 0..<count { items.insert(try pop(), at: 0) }
                stack.append(.tuple(list(items)))
            case Opcode.none: stack.append(.none)
            case Opcode.newFalse: stack.append(.bool(false))
            case Opcode.newTrue: stack.append(.bool(true))
            case Opcode.emptyTuple: stack.append(.tuple(list()))
            case Opcode.emptyList: stack.append(.list(list()))
            case Opcode.emptyDict: stack.append(.dict(dictionary()))
            case Opcode.binInt: stack.append(.int(Int(Int32(truncatingIfNeeded: try integer(size: 4)))))
            case Opcode.binInt1: stack.append(.int(try integer(size: 1)))
            case Opcode.binInt2: stack.append(.int(try integer(size: 2)))
            case Opcode.long1: stack.append(.int(try long(count: try integer(size: 1))))
            case Opcode.binFloat:
                // Pickle stores floats big-endian.
                let bits = try input.read(count: 8, "pickle float").reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                stack.append(.float(Double(bitPattern: bits)))
            case Opcode.binUnicode: stack.append(.string(try text(count: try integer(size: 4))))
            case Opcode.shortBinString: stack.append(.string(try text(count: try integer(size: 1))))
            case Opcode.binPersistentID: stack.append(.storage(try storage(try pop())))
            case Opcode.binGet, Opcode.longBinGet:
                let key = try integer(size: opcode == Opcode.binGet ? 1 : 4)
                guard let value = memo[key] else { throw error("pickle memo \(key) read before it was written") }
                stack.append(value)
            case Opcode.binPut, Opcode.longBinPut:
                let key = try integer(size: opcode == Opcode.binPut ? 1 : 4)
                guard let value = stack.last else { throw error("pickle stack underflow") }
                memo[key] = value
            default:
                input.position -= 1
                throw error("unsupported pickle opcode 0x\(String(opcode, radix: 16))")
            }
        }
    }

    /// A little-endian two's-complement integer of `count` bytes (pickle's LONG1).
    private mutating func long(count: Int) throws -> Int {
        guard count <= 8 else { throw error("pickle integer of \(count) bytes is out of range") }
        let bytes = try input.read(count: count, "pickle integer")
        // Start from the sign extension; shifting the bytes in from the most significant end.
        var value: UInt64 = (bytes.last ?? 0) & 0x80 != 0 ? .max : 0
        for byte in bytes.reversed() { value = value << 8 | UInt64(byte) }
        return Int(bitPattern: UInt(value))
    }

    private mutating func appendItems(_ items: [PickleValue]) throws {
        guard case .list(let list) = stack.last else {
            throw error("pickle APPEND to \(stack.last?.kind ?? "nothing")")
        }
        list.items += items
    }

    private mutating func setItems(_ items: [PickleValue]) throws {
        guard case .dict(let dictionary) = stack.last else {
            throw error("pickle SETITEM on \(stack.last?.kind ?? "nothing")")
        }
        guard items.count % 2 == 0 else { throw error("pickle SETITEMS with an odd number of values") }
        for pair in stride(from: 0, to: items.count, by: 2) { dictionary.set(items[pair], items[pair + 1]) }
    }

    private func storage(_ id: PickleValue) throws -> PickleStorage {
        guard case .tuple(let tuple) = id, case let fields = tuple.items, fields.count == 5,
            case .string("storage") = fields[0],
            case .global(let module, let name) = fields[1], case .string(let key) = fields[2],
            case .int(let count) = fields[4], count >= 0
        else { throw error("persistent id \(id.kind) is not a storage reference") }
        guard module == "torch", let type = torchStorageTypes.first(where: { $0.name == name }) else {
            throw error("unsupported storage type \(module).\(name)")
        }
        return PickleStorage(dtype: type.dtype, key: key, count: count)
    }

    private mutating func reduce(_ callable: PickleValue, _ arguments: PickleValue) throws -> PickleValue {
        guard case .global(let module, let name) = callable, case .tuple(let tuple) = arguments else {
            throw error("pickle REDUCE of \(callable.kind) is not supported")
        }
        let args = tuple.items
        switch ("\(module).\(name)", args.count) {
        case ("collections.OrderedDict", 0):
            return .dict(dictionary())
        case ("torch._utils._rebuild_tensor_v2", 6...7), ("torch._utils._rebuild_tensor", 4):
            guard case .storage(let storage) = args[0], case .int(let offset) = args[1],
                let shape = integers(args[2]), let strides = integers(args[3]), shape.count == strides.count
            else { throw error("malformed arguments to \(module).\(name)") }
            return .tensor(PickleTensor(storage: storage, offset: offset, shape: shape, strides: strides))
        case ("torch._utils._rebuild_parameter", 3), ("torch._utils._rebuild_parameter_with_state", 4):
            guard case .tensor = args[0] else { throw error("malformed arguments to \(module).\(name)") }
            return args[0]
        default:
            throw error("unsupported pickle global \(module).\(name) with \(args.count) arguments")
        }
    }

    private func integers(_ value: PickleValue) -> [Int]? {
        guard case .tuple(let tuple) = value else { return nil }
        var result: [Int] = []
        for item in tuple.items {
            guard case .int(let integer) = item else { return nil }
            result.append(integer)
        }
        return result
    }
}

/// Encodes pickle protocol 2, the subset `torch.save` uses for state dicts.
struct PickleWriter {
    private(set) var bytes: [UInt8] = [Opcode.proto, 2]

    mutating func global(_ module: String, _ name: String) {
        bytes.append(Opcode.global)
        bytes += Array("\(module)\n\(name)\n".utf8)
    }

    mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        bytes.append(Opcode.binUnicode)
        bytes.appendLittleEndian(UInt32(utf8.count))
        bytes += utf8
    }

    /// The shortest integer encoding, chosen as Python's pickler does.
    mutating func int(_ value: Int) {
        if (0...0xFF).contains(value) {
            bytes += [Opcode.binInt1, UInt8(value)]
        } else if (0...0xFFFF).contains(value) {
            bytes.append(Opcode.binInt2)
            bytes.appendLittleEndian(UInt16(value))
        } else if let small = Int32(exactly: value) {
            bytes.append(Opcode.binInt)
            bytes.appendLittleEndian(small)
        } else {
            bytes += [Opcode.long1, 8]
            bytes.appendLittleEndian(Int64(value))
        }
    }

    mutating func bool(_ value: Bool) { bytes.append(value ? Opcode.newTrue : Opcode.newFalse) }

    /// A tuple of the values the closure pushes.
    mutating func tuple(_ body: (inout PickleWriter) -> Void) {
        bytes.append(Opcode.mark)
        body(&self)
        bytes.append(Opcode.tuple)
    }

    mutating func intTuple(_ values: [Int]) { tuple { writer in values.forEach { writer.int($0) } } }

    /// `callable(*arguments)`: the callable, then the arguments tuple, must already be pushed.
    mutating func reduce() { bytes.append(Opcode.reduce) }

    mutating func emptyTuple() { bytes.append(Opcode.emptyTuple) }

    mutating func persistentID() { bytes.append(Opcode.binPersistentID) }

    /// `SETITEMS` over the key/value pairs the closure pushes onto the dict below them.
    mutating func setItems(_ body: (inout PickleWriter) -> Void) {
        bytes.append(Opcode.mark)
        body(&self)
        bytes.append(Opcode.setItems)
    }

    mutating func stop() { bytes.append(Opcode.stop) }
}
