import Foundation
import Testing

@testable import MRIData
import TorchTestSupport

@Suite("NIfTI gzip reads")
struct NIfTIGzipTests {
    /// A big-endian file, so the byte swap after inflating is covered too.
    static let source = Fixture.directory.appendingPathComponent("nifti").appendingPathComponent("int16_bigendian.nii")

    @Test(
        "a .nii.gz in one gzip member (libdeflate, whole) or several (zlib's stream) reads as the uncompressed file",
        arguments: [1, 2, 3])
    func gzipMembers(members: Int) throws {
        let bytes = [UInt8](try Data(contentsOf: Self.source))
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("image.nii.gz")
        let step = (bytes.count + members - 1) / members
        let parts = stride(from: 0, to: bytes.count, by: step).map { Array(bytes[$0..<min($0 + step, bytes.count)]) }
        #expect(parts.count == members)
        try Data(parts.flatMap { try gzipCompress($0, file: url.path) }).write(to: url)
        // libdeflate takes single-member files only; the others fall back to zlib.
        #expect((gunzipWhole(path: url.path, minimumSize: bytes.count) != nil) == (members == 1))
        let expected = try NIfTIImage(contentsOf: Self.source, raw: true)
        let image = try NIfTIImage(contentsOf: url, raw: true)
        #expect(image.data.dtype == expected.data.dtype)
        expectClose(image.data, expected.data, tolerance: 0)
    }
}
