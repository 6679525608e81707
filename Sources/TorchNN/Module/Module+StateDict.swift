import Foundation

extension ATen {
    /// `copy_` for loading values into existing parameters (kept out of the shared name space).
    fileprivate static let moduleCopy = ATenOperator("aten::copy_")
}

/// What ``Module/loadStateDict(_:strict:)`` found when a state dict and a module disagree.
public struct StateDictMismatch: Sendable, Equatable, CustomStringConvertible {
    /// The module's keys that the state dict lacks.
    public var missingKeys: [String] = []
    /// The state dict's keys that the module lacks.
    public var unexpectedKeys: [String] = []
    /// Keys whose tensors have different shapes: `(key, module's shape, state dict's shape)`.
    public var shapeMismatches: [ShapeMismatch] = []

    /// A key whose tensor in the state dict has another shape than the module's.
    public struct ShapeMismatch: Sendable, Equatable {
        /// The state-dict key.
        public var key: String
        /// The shape the module expects.
        public var expected: [Int]
        /// The shape the state dict holds.
        public var found: [Int]
    }

    /// Whether the state dict matched the module exactly.
    public var isEmpty: Bool { missingKeys.isEmpty && unexpectedKeys.isEmpty && shapeMismatches.isEmpty }

    /// Every problem, one per line, as PyTorch's `load_state_dict` error lists them.
    public var description: String {
        var lines: [String] = []
        if !missingKeys.isEmpty { lines.append("Missing key(s): \(missingKeys.joined(separator: ", "))") }
        if !unexpectedKeys.isEmpty { lines.append("Unexpected key(s): \(unexpectedKeys.joined(separator: ", "))") }
        for mismatch in shapeMismatches {
            lines.append(
                "size mismatch for \(mismatch.key): copying a param with shape \(mismatch.found), "
                    + "the shape in current model is \(mismatch.expected)")
        }
        return lines.joined(separator: "\n")
    }
}

/// The error of a strict ``Module/loadStateDict(_:strict:)``: every missing key, unexpected key
/// and shape mismatch at once. Nothing was loaded.
public struct StateDictLoadError: Error, CustomStringConvertible, Sendable {
    /// What disagreed.
    public var mismatch: StateDictMismatch
    /// The model's type name.
    public var model: String

    /// The message, naming each key.
    public var description: String { "Error(s) in loading state_dict for \(model):\n\(mismatch)" }
}

extension Module {
    /// The persistent parameter and buffer slots with their state-dict keys, in PyTorch's order
    /// (each module's parameters, then its buffers, then its children's entries). Shared
    /// tensors appear under each of their names, as in PyTorch.
    func stateDictSlots() -> [(key: String, slot: TensorSlot)] {
        var result: [(key: String, slot: TensorSlot)] = []
        func visit(_ module: Module, _ prefix: String) {
            let entries = module.entries()
            for case .parameter(let name, let slot) in entries where slot.tensor != nil {
                result.append((join(prefix, name), slot))
            }
            for case .buffer(let name, let slot, true) in entries where slot.tensor != nil {
                result.append((join(prefix, name), slot))
            }
            for case .child(let name, let child) in entries { visit(child, join(prefix, name)) }
        }
        visit(self, "")
        return result
    }

    /// The parameters and persistent buffers by key (`state_dict()`), detached from autograd;
    /// the tensors share memory with the module's.
    public func stateDict() -> StateDict {
        StateDict(stateDictSlots().compactMap { key, slot in slot.tensor.map { (key, $0.detach()) } })
    }

    /// The keys of ``stateDict()``, in order.
    public var stateDictKeys: [String] { stateDictSlots().map(\.key) }

    /// Copies the tensors of `stateDict` into this module's parameters and buffers
    /// (`load_state_dict`), converting dtype and device to the module's.
    ///
    /// Values are copied into the existing tensors (under no-grad), so references held elsewhere,
    /// by an optimizer for instance, see the loaded values.
    ///
    /// - Parameter strict: when `true` (the default), any missing key, unexpected key or shape
    ///   mismatch throws ``StateDictLoadError`` listing all of them, and nothing is loaded. When
    ///   `false`, the matching entries are loaded and the rest is returned.
    /// - Returns: what did not match (empty after a strict load).
    @discardableResult
    public func loadStateDict(_ stateDict: StateDict, strict: Bool = true) throws -> StateDictMismatch {
        let slots = stateDictSlots()
        var mismatch = StateDictMismatch()
        let expectedKeys = Set(slots.map(\.key))
        mismatch.unexpectedKeys = stateDict.keys.filter { !expectedKeys.contains($0) }
        var loads: [(destination: Tensor, source: Tensor)] = []
        for (key, slot) in slots {
            guard let destination = slot.tensor else { continue }
            guard let source = stateDict[key] else {
                mismatch.missingKeys.append(key)
                continue
            }
            guard source.shape == destination.shape else {
                mismatch.shapeMismatches.append(.init(key: key, expected: destination.shape, found: source.shape))
                continue
            }
            loads.append((destination, source))
        }
        if strict, !mismatch.isEmpty {
            throw StateDictLoadError(mismatch: mismatch, model: String(describing: type(of: self)))
        }
        withoutGradient {
            for (destination, source) in loads { _ = ATen.moduleCopy(.tensor(destination), .tensor(source)) }
        }
        return mismatch
    }

    // MARK: Files

    /// Writes ``stateDict()`` to `url`: safetensors for a `.safetensors` extension, PyTorch's
    /// `torch.save` format (loadable with `torch.load`) for `.pt`, `.pth` or `.bin`.
    public func save(to url: URL) throws {
        switch try StateDictFormat(url) {
        case .safeTensors: try SafeTensors.save(stateDict(), to: url)
        case .torch: try TorchCheckpoint.save(stateDict(), to: url)
        }
    }

    /// Writes ``stateDict()`` to the file at `path`; see ``save(to:)``.
    public func save(toPath path: String) throws { try save(to: URL(fileURLWithPath: path)) }

    /// Loads a state dict file written by ``save(to:)`` or by PyTorch (`torch.save(model.state_dict())`
    /// or safetensors), chosen by extension, with ``loadStateDict(_:strict:)``.
    @discardableResult
    public func load(from url: URL, strict: Bool = true) throws -> StateDictMismatch {
        let stateDict = switch try StateDictFormat(url) {
        case .safeTensors: try SafeTensors.load(from: url)
        case .torch: try TorchCheckpoint.load(from: url)
        }
        return try loadStateDict(stateDict, strict: strict)
    }

    /// Loads the state dict file at `path`; see ``load(from:strict:)``.
    @discardableResult
    public func load(fromPath path: String, strict: Bool = true) throws -> StateDictMismatch {
        try load(from: URL(fileURLWithPath: path), strict: strict)
    }
}

/// The file format a state-dict path names by its extension.
private enum StateDictFormat {
    case safeTensors
    case torch

    init(_ url: URL) throws {
        switch url.pathExtension.lowercased() {
        case "safetensors": self = .safeTensors
        case "pt", "pth", "bin": self = .torch
        default:
            throw SerializationError(
                file: url.path, "unknown state-dict extension '.\(url.pathExtension)' (expected .safetensors, .pt, .pth or .bin)")
        }
    }
}
