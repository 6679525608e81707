import CTorch

/// Where a tensor lives: the CPU or a CUDA device.
public struct Device: Hashable, Sendable, CustomStringConvertible {
    /// The kind of device. Raw values are libtorch's `c10::DeviceType` codes.
    public enum Kind: Int32, Sendable {
        case cpu = 0
        case cuda = 1
    }

    /// The kind of device.
    public var kind: Kind
    /// The device index (`nil` means the current device of that kind).
    public var index: Int?

    /// A device of `kind`, numbered `index`.
    public init(_ kind: Kind, index: Int? = nil) {
        self.kind = kind
        self.index = index
    }

    /// The CPU.
    public static let cpu = Device(.cpu)

    /// CUDA device `index` (0 by default).
    public static func cuda(_ index: Int = 0) -> Device { Device(.cuda, index: index) }

    /// PyTorch's spelling: `cpu`, `cuda:0`.
    public var description: String {
        let name = kind == .cpu ? "cpu" : "cuda"
        return index.map { "\(name):\($0)" } ?? name
    }

    /// Parses `cpu`, `cuda` or `cuda:N`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard let first = parts.first else { return nil }
        switch first {
        case "cpu": kind = .cpu
        case "cuda": kind = .cuda
        default: return nil
        }
        if parts.count == 2 {
            guard let number = Int(parts[1]), number >= 0 else { return nil }
            index = number
        } else {
            index = nil
        }
    }
}
