import Foundation
import Yams

/// One mapping of a YAML recipe, read with typed accessors that refuse unknown keys, wrong
/// types and out-of-range values with a `RecipeError` naming the file, line, key and what is allowed.
public struct RecipeSection {
    /// The recipe file the section came from.
    public let file: String
    /// The section's dotted key path (empty for the top level).
    public let path: String
    /// The section's line in the file.
    public let line: Int?
    private let entries: [(key: String, value: Node)]

    /// The top-level section of the YAML text `yaml` read from `file`.
    public init(yaml: String, file: String) throws {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw RecipeError(file: file, key: "(document)", value: nil, allowed: "valid YAML (\(error))")
        }
        guard let root, let mapping = root.mapping else {
            throw RecipeError(file: file, line: root?.mark?.line, key: "(document)", value: nil,
                              allowed: "a mapping of sections")
        }
        try self.init(file: file, path: "", node: root, mapping: mapping)
    }

    /// The recipe in the file at `path`.
    public init(contentsOfFile path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RecipeError(file: path, key: "(file)", value: nil, allowed: "a readable UTF-8 YAML file")
        }
        try self.init(yaml: text, file: path)
    }

    private init(file: String, path: String, node: Node, mapping: Node.Mapping) throws {
        self.file = file
        self.path = path
        line = node.mark?.line
        var entries: [(key: String, value: Node)] = []
        for (key, value) in mapping {
            guard let name = key.string else {
                throw RecipeError(file: file, line: key.mark?.line, key: Self.qualified(path, "?"), value: "\(key)",
                                  allowed: "a string key")
            }
            if entries.contains(where: { $0.key == name }) {
                throw RecipeError(file: file, line: key.mark?.line, key: Self.qualified(path, name), value: nil,
                                  allowed: "each key once (it appears twice)")
            }
            entries.append((name, value))
        }
        self.entries = entries
    }

    /// The keys present, in file order.
    public var keys: [String] { entries.map(\.key) }

    /// Throws for the first key not in `allowed`, listing the allowed ones (catches typos).
    public func requireKnownKeys(_ allowed: [String]) throws {
        for (key, value) in entries where !allowed.contains(key) {
            throw RecipeError(file: file, line: value.mark?.line, key: qualified(key), value: nil,
                              allowed: "one of the keys " + allowed.joined(separator: ", ") + " (unknown key)")
        }
    }

    /// Whether `key` is present.
    public func contains(_ key: String) -> Bool { node(key) != nil }

    /// The sub-section `key`, or `nil` when absent.
    public func section(_ key: String) throws -> RecipeSection? {
        guard let node = node(key) else { return nil }
        guard let mapping = node.mapping else { throw mismatch(key, node, "a mapping of keys") }
        return try RecipeSection(file: file, path: qualified(key), node: node, mapping: mapping)
    }

    /// The string `key`, or `defaultValue` when absent.
    public func string(_ key: String, default defaultValue: String? = nil) throws -> String {
        try value(key, defaultValue, "a string") { $0.scalar?.string }
    }

    /// The integer `key` within `range`, or `defaultValue` when absent.
    public func int(_ key: String, default defaultValue: Int? = nil, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        let result = try value(key, defaultValue, "an integer") { $0.int }
        guard range.contains(result) else { throw outOfRange(key, "\(result)", range) }
        return result
    }

    /// The number `key` within `range`, or `defaultValue` when absent.
    public func double(
        _ key: String, default defaultValue: Double? = nil,
        in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
    ) throws -> Double {
        let result = try value(key, defaultValue, "a number") { $0.float ?? $0.int.map(Double.init) }
        guard range.contains(result) else { throw outOfRange(key, "\(result)", range) }
        return result
    }

    /// The boolean `key`, or `defaultValue` when absent.
    public func bool(_ key: String, default defaultValue: Bool? = nil) throws -> Bool {
        try value(key, defaultValue, "true or false") { $0.bool }
    }

    /// The value of `key` among `Choice`'s raw values, or `defaultValue` when absent.
    public func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, default defaultValue: Choice? = nil
    ) throws -> Choice where Choice.RawValue == String {
        let allowed = "one of " + Choice.allCases.map(\.rawValue).joined(separator: ", ")
        return try value(key, defaultValue, allowed) { $0.string.flatMap(Choice.init(rawValue:)) }
    }

    /// The list of numbers `key` (a single number counts as a list of one), or `defaultValue`.
    public func doubles(_ key: String, default defaultValue: [Double]? = nil) throws -> [Double] {
        try value(key, defaultValue, "a number or a list of numbers") { node in
            let items = node.sequence.map(Array.init) ?? [node]
            let values = items.compactMap { $0.float ?? $0.int.map(Double.init) }
            return values.count == items.count && !values.isEmpty ? values : nil
        }
    }

    /// The list of integers `key` (a single integer counts as a list of one), or `defaultValue`.
    public func ints(_ key: String, default defaultValue: [Int]? = nil) throws -> [Int] {
        try value(key, defaultValue, "an integer or a list of integers") { node in
            let items = node.sequence.map(Array.init) ?? [node]
            let values = items.compactMap(\.int)
            return values.count == items.count && !values.isEmpty ? values : nil
        }
    }

    /// An error about `key` of this section, for checks the accessors cannot make.
    public func error(_ key: String, value: String?, allowed: String) -> RecipeError {
        RecipeError(file: file, line: node(key)?.mark?.line ?? line, key: qualified(key), value: value, allowed: allowed)
    }

    // MARK: Helpers

    private func node(_ key: String) -> Node? { entries.first { $0.key == key }?.value }

    private func qualified(_ key: String) -> String { Self.qualified(path, key) }

    private static func qualified(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func value<T>(_ key: String, _ defaultValue: T?, _ allowed: String, _ convert: (Node) -> T?) throws -> T {
        guard let node = node(key) else {
            guard let defaultValue else { throw error(key, value: nil, allowed: allowed) }
            return defaultValue
        }
        guard let converted = convert(node) else { throw mismatch(key, node, allowed) }
        return converted
    }

    private func mismatch(_ key: String, _ node: Node, _ allowed: String) -> RecipeError {
        let written = node.scalar?.string ?? (node.sequence != nil ? "a list" : "a mapping")
        return RecipeError(file: file, line: node.mark?.line, key: qualified(key), value: written, allowed: allowed)
    }

    private func outOfRange<Bound>(_ key: String, _ value: String, _ range: ClosedRange<Bound>) -> RecipeError {
        error(key, value: value, allowed: "a value in \(range)")
    }
}
