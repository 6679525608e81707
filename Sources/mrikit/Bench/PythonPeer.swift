import Foundation

/// Runs a workload of `bench/torch_peer.py` in Python PyTorch and reads its timings.
struct PythonPeer {
    /// The Python interpreter that can `import torch`.
    let python: String
    /// The peer script.
    let script: String

    /// Per-repeat seconds reported by `torch_peer.py <workload> <arguments>`.
    func seconds(_ workload: String, _ arguments: [String]) throws -> [Double] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, workload] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("\(python) \(script) \(workload) exited with status \(process.terminationStatus)")
        }
        struct Report: Decodable { let seconds: [Double] }
        guard let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
            let report = try? JSONDecoder().decode(Report.self, from: Data(line.utf8))
        else { throw BenchError("\(script) \(workload) printed no JSON report") }
        return report.seconds
    }
}

/// A benchmark that could not run.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The median of `values` (which must not be empty).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// Seconds taken by `body`, read from a monotonic clock.
func measure(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}
