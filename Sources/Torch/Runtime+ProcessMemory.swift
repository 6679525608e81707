import Foundation

extension Runtime {
    /// The process's resident set size in bytes now (`/proc/self/statm`; 0 where unavailable).
    ///
    /// CPU tensors live in this memory, so it is what a CPU memory budget is measured against.
    public static var residentMemoryBytes: Int {
        guard let fields = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " "),
              fields.count > 1, let pages = Int(fields[1])
        else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The largest resident set size the process has had, in bytes (`VmHWM` of
    /// `/proc/self/status`; 0 where unavailable).
    public static var peakResidentMemoryBytes: Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes * 1024
    }
}
