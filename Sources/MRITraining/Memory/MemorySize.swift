import Foundation

/// A number of bytes written the way people write memory sizes: `8GB`, `512MiB`, `1.5 GiB`,
/// `300000000` (plain bytes).
///
/// Decimal units are powers of 1000 (`kB`/`KB`, `MB`, `GB`, `TB`), binary units powers of 1024
/// (`KiB`, `MiB`, `GiB`, `TiB`), as the SI and IEC define them; units ignore case, and a space may
/// separate the number from the unit.
public struct MemorySize: Sendable, Equatable, CustomStringConvertible {
    /// The size in bytes.
    public var bytes: Int

    /// A size of `bytes` bytes.
    public init(bytes: Int) {
        self.bytes = bytes
    }

    private static let units: [String: Double] = [
        "": 1, "b": 1,
        "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
        "kib": 0x1p10, "mib": 0x1p20, "gib": 0x1p30, "tib": 0x1p40,
    ]

    /// Parses `text`; throws ``MemoryPlanError/invalidSize(field:value:)`` naming `field` (the option
    /// or key it came from) for anything but a positive number with a known unit.
    public init(parsing text: String, field: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let numberEnd = trimmed.firstIndex { !($0.isNumber || $0 == ".") } ?? trimmed.endIndex
        let unit = trimmed[numberEnd...].trimmingCharacters(in: .whitespaces).lowercased()
        guard let number = Double(trimmed[..<numberEnd]), number > 0, let scale = Self.units[unit],
              number * scale >= 1, number * scale < 0x1p62
        else { throw MemoryPlanError.invalidSize(field: field, value: text) }
        bytes = Int(number * scale)
    }

    /// The size in the largest binary unit that keeps it at 1 or more (`1.50 GiB`, `512.0 MiB`).
    public var description: String {
        let (scale, unit): (Double, String) = switch bytes {
        case (1 << 30)...: (0x1p30, "GiB")
        case (1 << 20)...: (0x1p20, "MiB")
        case (1 << 10)...: (0x1p10, "KiB")
        default: (1, "B")
        }
        return scale == 1 ? "\(bytes) B" : String(format: scale == 0x1p30 ? "%.2f" : "%.1f", Double(bytes) / scale) + " " + unit
    }
}
