import CTorch
import Foundation

/// The libtorch operators a stretch of work ran: calls and inclusive time per operator name,
/// from libtorch's own profiler (Kineto, CPU activity), the numbers `torch.profiler`'s
/// `key_averages()` reports as "CPU total", so a profile of MRIKit and one of the PyTorch
/// reference compare operator by operator.
///
/// ```swift
/// let profile = OperatorProfile.record { step() }
/// print(profile.table(limit: 20))
/// ```
public struct OperatorProfile: Sendable {
    /// One operator name's totals.
    public struct Row: Sendable, Equatable {
        public let name: String
        public let calls: Int
        /// Inclusive: time in operators it called counts too.
        public let milliseconds: Double
    }

    /// Every operator the work ran, most time first.
    public let rows: [Row]

    /// Profiles `body` (only one profile may run in a process at a time).
    public static func record(_ body: () throws -> Void) rethrows -> OperatorProfile {
        check(mt_profiler_start())
        do {
            try body()
        } catch {
            _ = stop()
            throw error
        }
        return stop()
    }

    private static func stop() -> OperatorProfile {
        var buffer = [CChar](repeating: 0, count: 1 << 20)
        check(mt_profiler_stop(&buffer, buffer.count))
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let rows = text.split(separator: "\n").compactMap { line -> Row? in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, let calls = Int(fields[1]), let nanoseconds = Double(fields[2]) else { return nil }
            return Row(name: String(fields[0]), calls: calls, milliseconds: nanoseconds / 1e6)
        }
        return OperatorProfile(rows: rows)
    }

    /// The `limit` most expensive operators as an aligned text table.
    public func table(limit: Int = 25) -> String {
        rows.prefix(limit).map { row in
            let name = row.name.count > 48 ? String(row.name.prefix(45)) + "..." : row.name
            return name.padding(toLength: 48, withPad: " ", startingAt: 0)
                + String(format: "%8d  %12.3f ms", row.calls, row.milliseconds)
        }.joined(separator: "\n")
    }
}
