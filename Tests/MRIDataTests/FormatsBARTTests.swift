import Foundation
import Testing

@testable import MRIData
import TorchTestSupport

private func bartFile(_ name: String) -> URL {
    Fixture.directory.appendingPathComponent("bart").appendingPathComponent(name)
}

@Suite("BART files")
struct BARTTests {
    let fixture: Fixture

    init() throws { fixture = try Fixture("bart") }

    @Test(
        "arrays BART wrote read as tensor[i, j, ...] = BART element (i, j, ...)",
        arguments: ["kspace", "image", "vector"])
    func readsBART(name: String) throws {
        let tensor = try BARTFile.read(from: bartFile(name))
        #expect(tensor.dtype == .complex64)
        expectClose(tensor, fixture.tensor(name), tolerance: 0)
        // Naming either file of the pair reads the same array.
        expectClose(try BARTFile.read(from: bartFile("\(name).cfl")), tensor, tolerance: 0)
    }

    @Test("write then read gives back the array and writes BART's header")
    func roundTrip() throws {
        let tensor = fixture.tensor("kspace")
        let directory = try TemporaryDirectory()
        let base = directory.url.appendingPathComponent("out")
        try BARTFile.write(tensor, to: base)
        expectClose(try BARTFile.read(from: base), tensor, tolerance: 0)
        let header = try String(contentsOf: base.appendingPathExtension("hdr"), encoding: .utf8)
        #expect(header == "# Dimensions\n6 6 1 3\n")
        let bytes = try Data(contentsOf: base.appendingPathExtension("cfl"))
        #expect(bytes == (try Data(contentsOf: bartFile("kspace.cfl"))), "the same bytes as BART's own file")
    }

    @Test(
        "malformed pairs throw a DataError naming the file and the field",
        arguments: [
            ("truncated", "cfl", "data", "need 200 bytes, the file holds 192"),
            ("lying_dims", "cfl", "data", "need 240 bytes, the file holds 200"),
            ("no_dims", "hdr", "Dimensions", "no '# Dimensions' line"),
            ("bad_dims", "hdr", "Dimensions", "not a list of positive sizes"),
            ("zero_dim", "hdr", "Dimensions", "not a list of positive sizes"),
            ("missing_header", "hdr", nil, "cannot read"), ("missing_data", "cfl", nil, "cannot read"),
        ] as [(String, String, String?, String)])
    func malformed(name: String, culprit: String, field: String?, reason: String) {
        let base = bartFile("bad/\(name)")
        expectDataError(file: base.appendingPathExtension(culprit).path, field: field, reason: reason) {
            _ = try BARTFile.read(from: base)
        }
    }
}
