import Foundation
import Testing

@testable import MRIData
import TorchTestSupport

private func imageFile(_ name: String) -> URL {
    Fixture.directory.appendingPathComponent("images").appendingPathComponent(name)
}

@Suite("TIFF and PNG files")
struct ImageFormatTests {
    let fixture: Fixture

    init() throws { fixture = try Fixture("images") }

    @Test(
        "TIFFs read as [channels, H, W] equal to tifffile's / Pillow's pixels",
        arguments: [
            "rgb_lzw", "mask_lzw", "mask_packbits", "gray16_deflate", "rgb_uncompressed", "rgb_planar", "two_channel",
            "rgb16_deflate",
        ])
    func readsTIFF(name: String) throws {
        let image = try TIFFFile.read(from: imageFile("\(name).tif"))
        let expected = fixture.tensor(name)
        #expect(image.dtype == expected.dtype)
        expectClose(image, expected, tolerance: 0)
    }

    @Test("PNGs Pillow wrote read as [channels, H, W] equal to its pixels", arguments: ["gray8", "gray16", "rgb"])
    func readsPNG(name: String) throws {
        let image = try PNGFile.read(from: imageFile("\(name).png"))
        let expected = fixture.tensor(name)
        #expect(image.dtype == expected.dtype)
        expectClose(image, expected, tolerance: 0)
    }

    @Test(
        "PNG write then read gives back 8-bit gray, 16-bit gray and RGB images", arguments: ["gray8", "gray16", "rgb"])
    func pngRoundTrip(name: String) throws {
        let image = fixture.tensor(name)
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("out.png")
        try PNGFile.write(image, to: url)
        expectClose(try PNGFile.read(from: url), image, tolerance: 0)
        // [H, W] writes the same gray image as [1, H, W].
        if image.size(0) == 1 {
            try PNGFile.write(image.squeeze(dim: 0), to: url)
            expectClose(try PNGFile.read(from: url), image, tolerance: 0)
        }
    }

    @Test("PNG write refuses shapes, types and values it cannot store, leaving no file")
    func pngRefuses() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("bad.png")
        expectDataError(file: url.path, field: "shape", reason: "a PNG is [H, W]") {
            try PNGFile.write(Tensor.zeros([2, 4, 4], dtype: .uint8), to: url)
        }
        expectDataError(file: url.path, field: "dtype", reason: "PNG writes uint8") {
            try PNGFile.write(Tensor.zeros([4, 4]), to: url)
        }
        expectDataError(file: url.path, field: "dtype", reason: "must lie in 0...65535") {
            try PNGFile.write(Tensor.full([4, 4], 70_000, dtype: .int32), to: url)
        }
        #expect(try directory.contents().isEmpty)
    }

    // The reference computes the blend in float64, MRIKit in float32: rounding to integers can
    // then differ by one where a value sits at .5.
    @Test("overlay blends label colours onto the min-max scaled image as the numpy reference does")
    func overlay() {
        let picture = PNGFile.overlay(
            image: fixture.tensor("overlay_image"), labels: fixture.tensor("overlay_labels"), opacity: 0.4)
        #expect(picture.dtype == .uint8)
        expectClose(picture, fixture.tensor("overlay"), tolerance: 1)
    }

    @Test(
        "malformed or unsupported images throw a DataError naming the file and the field",
        arguments: [
            ("truncated.tif", "header", "not a readable TIFF"), ("truncated_data.tif", "data", "cannot read row"),
            ("not_tiff.tif", "header", "not a readable TIFF"), ("empty.tif", "header", "not a readable TIFF"),
            ("float32.tif", "SampleFormat", "not format 3"), ("int16.tif", "SampleFormat", "not format 2"),
            ("bits32.tif", "BitsPerSample", "32-bit samples"), ("tiled.tif", "TileWidth", "tiled TIFFs"),
            ("five_channels.tif", "SamplesPerPixel", "5 channels"), ("palette.tif", "Photometric", "interpretation 3"),
            ("truncated.png", "data", "corrupt or truncated image data"),
            ("not_png.png", "header", "not a readable PNG"),
        ])
    func malformed(file: String, field: String, reason: String) {
        let url = imageFile("bad/\(file)")
        expectDataError(file: url.path, field: field, reason: reason) {
            if file.hasSuffix(".png") { _ = try PNGFile.read(from: url) } else { _ = try TIFFFile.read(from: url) }
        }
    }
}
