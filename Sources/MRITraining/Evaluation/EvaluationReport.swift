import Foundation

/// Per-volume (or per-case) metrics of one or more methods, summarised as mean ± standard
/// deviation per method and written as a printed table, CSV and JSON.
///
/// The standard deviation is the sample one (n − 1), as fastMRI's `evaluate.py` computes it
/// with `runstats` (which then prints two of them: `mean +/- 2·std`; MRIKit prints one).
public struct EvaluationReport: Sendable {
    /// One method's metrics on one volume.
    public struct Row: Sendable, Codable, Equatable {
        /// The method (e.g. `zero-filled`, `GRAPPA`, `VarNet`).
        public var method: String
        /// The volume or case (e.g. a fastMRI file name).
        public var volume: String
        /// The metrics by name.
        public var metrics: [String: Double]
    }

    /// A metric's summary over the volumes of one method.
    public struct Summary: Sendable, Codable, Equatable {
        /// The mean over volumes with a finite value.
        public var mean: Double
        /// The sample standard deviation (0 for a single volume).
        public var std: Double
        /// Volumes with a finite value (NaN values — e.g. Dice of an empty prediction and truth — are left out).
        public var count: Int
    }

    /// Every row, in the order added.
    public private(set) var rows: [Row] = []

    /// An empty report.
    public init() {}

    /// Adds `method`'s metrics on `volume`.
    public mutating func add(method: String, volume: String, metrics: [String: Double]) {
        rows.append(Row(method: method, volume: volume, metrics: metrics))
    }

    /// The methods in the order first added.
    public var methods: [String] {
        var seen: [String] = []
        for row in rows where !seen.contains(row.method) { seen.append(row.method) }
        return seen
    }

    /// Every metric name, sorted.
    public var metricNames: [String] { Array(Set(rows.flatMap(\.metrics.keys))).sorted() }

    /// `method`'s summary per metric.
    public func summary(of method: String) -> [String: Summary] {
        var result: [String: Summary] = [:]
        for name in metricNames {
            let values = rows.filter { $0.method == method }.compactMap { $0.metrics[name] }.filter(\.isFinite)
            guard !values.isEmpty else { continue }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.count > 1
                ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1) : 0
            result[name] = Summary(mean: mean, std: variance.squareRoot(), count: values.count)
        }
        return result
    }

    /// The summary as an aligned text table: one line per method, `mean ± std` per metric.
    public func table() -> String {
        let names = metricNames
        var lines = [["method"] + names]
        for method in methods {
            let summary = summary(of: method)
            lines.append([method] + names.map { name in
                summary[name].map { Self.format($0.mean) + " ± " + Self.format($0.std) } ?? "-"
            })
        }
        let widths = (0..<lines[0].count).map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { line in
            zip(line, widths).enumerated().map { index, cell in
                let padding = String(repeating: " ", count: cell.1 - cell.0.count)
                return index == 0 ? cell.0 + padding : padding + cell.0
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// Every row as CSV: `method,volume,<metrics...>`.
    public func csv() -> String {
        let names = metricNames
        var text = (["method", "volume"] + names).joined(separator: ",") + "\n"
        for row in rows {
            text += ([row.method, row.volume] + names.map { row.metrics[$0].map { "\($0)" } ?? "" })
                .joined(separator: ",") + "\n"
        }
        return text
    }

    /// The rows and the per-method summaries as JSON.
    public func json() throws -> Data {
        struct Document: Codable {
            var summary: [String: [String: Summary]]
            var volumes: [Row]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Strict JSON has no NaN (Dice of an empty prediction and truth is one): written as "NaN".
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(Document(
            summary: Dictionary(uniqueKeysWithValues: methods.map { ($0, summary(of: $0)) }), volumes: rows))
    }

    /// Writes `<stem>.csv` and `<stem>.json` atomically.
    public func write(stem: String) throws {
        try AtomicFileWriter.write(Array(csv().utf8), to: URL(fileURLWithPath: stem + ".csv"))
        try AtomicFileWriter.write(Array(try json()), to: URL(fileURLWithPath: stem + ".json"))
    }

    /// Four significant digits, as fastMRI prints its metrics.
    static func format(_ value: Double) -> String { String(format: "%.4g", value) }
}
