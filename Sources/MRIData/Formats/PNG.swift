import CPNG
import Foundation

/// PNG images through libpng's simplified API (Debian's libpng16), which reports errors as
/// return values instead of `longjmp`, so no C error handling has to cross into Swift.
///
/// Layout: `[channels, height, width]` (or `[height, width]` for gray when writing); 8-bit
/// images are `uint8`, 16-bit gray images `int32` holding 0...65535 (MRIKit has no `uint16`).
public enum PNGFile {
    /// Writes `image` to `url` atomically: `uint8` `[H, W]`, `[1, H, W]` (8-bit gray) or
    /// `[3, H, W]` (RGB); or an integer `[H, W]`/`[1, H, W]` in 0...65535 as 16-bit gray.
    ///
    /// Throws `DataError` for other shapes, types or out-of-range values.
    public static func write(_ image: Tensor, to url: URL) throws {
        let path = url.path
        let planes = image.rank == 2 ? image.unsqueeze(0) : image
        guard planes.rank == 3, [1, 3].contains(planes.size(0)), planes.size(1) > 0, planes.size(2) > 0 else {
            throw DataError(
                file: path, field: "shape", "a PNG is [H, W], [1, H, W] or [3, H, W], not \(image.shape)")
        }
        let (channels, height, width) = (planes.size(0), planes.size(1), planes.size(2))
        let sixteenBit = image.dtype != .uint8
        if sixteenBit {
            guard [.int16, .int32, .int64].contains(image.dtype), channels == 1 else {
                throw DataError(
                    file: path, field: "dtype",
                    "PNG writes uint8 gray or RGB, or 16-bit gray from integers; "
                        + "not \(channels)-channel \(image.dtype)")
            }
            let low = planes.min().item(Int64.self)
            let high = planes.max().item(Int64.self)
            guard low >= 0, high <= 65535 else {
                throw DataError(file: path, field: "dtype", "16-bit values must lie in 0...65535, not \(low)...\(high)")
            }
        }
        // libpng takes interleaved rows: [H, W, C].
        let interleaved = planes.permute([1, 2, 0]).contiguous()
        let pixels: [UInt8] =
            sixteenBit
            ? interleaved.to(dtype: .int32).toArray(of: Int32.self).withUnsafeBufferPointer { values in
                Array(values.map { UInt16($0) }.withUnsafeBytes { Array($0) })
            }
            : interleaved.toBytes()

        var png = png_image()
        png.version = png_uint_32(PNG_IMAGE_VERSION)
        png.width = png_uint_32(width)
        png.height = png_uint_32(height)
        png.format =
            channels == 3
            ? png_uint_32(PNG_FORMAT_RGB) : sixteenBit ? png_uint_32(PNG_FORMAT_LINEAR_Y) : png_uint_32(PNG_FORMAT_GRAY)
        defer { png_image_free(&png) }
        // First call sizes the output, second fills it.
        var size = 0
        let rowStride = png_int_32(0)  // rows packed
        let sized = pixels.withUnsafeBytes {
            png_image_write_to_memory(&png, nil, &size, 0, $0.baseAddress, rowStride, nil)
        }
        guard sized != 0 else { throw DataError(file: path, "libpng cannot encode the image: \(message(of: png))") }
        var encoded = [UInt8](repeating: 0, count: size)
        let written = encoded.withUnsafeMutableBytes { output in
            pixels.withUnsafeBytes {
                png_image_write_to_memory(&png, output.baseAddress, &size, 0, $0.baseAddress, rowStride, nil)
            }
        }
        guard written != 0 else { throw DataError(file: path, "libpng cannot encode the image: \(message(of: png))") }
        try writeAtomically(Array(encoded.prefix(size)), to: url)
    }

    /// Reads the PNG at `url` as `[channels, height, width]`: gray files give one channel, colour
    /// files three (alpha is composited onto black by libpng); 8-bit files `uint8`, 16-bit
    /// files `int32` (16-bit files without gamma information read as stored, as libpng assumes).
    public static func read(from url: URL) throws -> Tensor {
        let path = url.path
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw DataError(file: path, "no such readable file")
        }
        var png = png_image()
        png.version = png_uint_32(PNG_IMAGE_VERSION)
        defer { png_image_free(&png) }
        guard png_image_begin_read_from_file(&png, path) != 0 else {
            throw DataError(file: path, field: "header", "not a readable PNG: \(message(of: png))")
        }
        let color = png.format & png_uint_32(PNG_FORMAT_FLAG_COLOR) != 0
        let sixteenBit = png.format & png_uint_32(PNG_FORMAT_FLAG_LINEAR) != 0
        png.format =
            (color ? png_uint_32(PNG_FORMAT_FLAG_COLOR) : 0) | (sixteenBit ? png_uint_32(PNG_FORMAT_FLAG_LINEAR) : 0)
        let (channels, height, width) = (color ? 3 : 1, Int(png.height), Int(png.width))
        let count = channels * height * width
        let tensor: Tensor
        if sixteenBit {
            var pixels = [UInt16](repeating: 0, count: count)
            guard png_image_finish_read(&png, nil, &pixels, 0, nil) != 0 else {
                throw DataError(file: path, field: "data", "corrupt or truncated image data: \(message(of: png))")
            }
            tensor = Tensor(pixels.map(Int32.init), shape: [height, width, channels])
        } else {
            var pixels = [UInt8](repeating: 0, count: count)
            guard png_image_finish_read(&png, nil, &pixels, 0, nil) != 0 else {
                throw DataError(file: path, field: "data", "corrupt or truncated image data: \(message(of: png))")
            }
            tensor = Tensor(pixels, shape: [height, width, channels])
        }
        return tensor.permute([2, 0, 1]).contiguous()
    }

    /// libpng's message in `image` (a fixed C array).
    private static func message(of image: png_image) -> String {
        withUnsafeBytes(of: image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// The label colours of `overlay`: label 1 red, 2 green, 3 blue, 4 yellow, 5 cyan, 6 magenta,
    /// then repeating.
    public static let labelColors: [[UInt8]] = [
        [255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [0, 255, 255], [255, 0, 255],
    ]

    /// An RGB picture of a segmentation: `image` (`[H, W]`, any real type) scaled to 0...255 by
    /// its minimum and maximum, shown in gray, with every voxel of `labels` (`[H, W]`, integers,
    /// 0 = background) blended with its label's colour at `opacity`.
    ///
    /// Returns `[3, H, W]` `uint8`, ready for `write(_:to:)`.
    public static func overlay(image: Tensor, labels: Tensor, opacity: Double = 0.5) -> Tensor {
        precondition(image.rank == 2 && labels.shape == image.shape, "overlay: image and labels must both be [H, W]")
        let values = image.to(dtype: .float32)
        let low = values.min()
        let range = values.max() - low
        // A constant image has no range: show it black rather than divide by zero.
        let gray = (values - low) / Tensor.where(range .> 0, range, Tensor.ones(like: range)) * 255.0
        let palette = Tensor(labelColors.flatMap { $0 }.map(Float.init), shape: [labelColors.count, 3])
        let labelIndex = labels.to(dtype: .int64)
        let colourIndex = Tensor.where(
            labelIndex .> 0, (labelIndex - 1).remainder(labelColors.count), Tensor.zeros(like: labelIndex))
        let colours = palette.indexSelect(dim: 0, index: colourIndex.flatten()).reshape(image.shape + [3])
            .permute([2, 0, 1])
        let grayRGB = gray.unsqueeze(0).expand([3] + image.shape)
        let blended = grayRGB * (1 - opacity) + colours * opacity
        let picture = Tensor.where((labelIndex .> 0).unsqueeze(0), blended, grayRGB)
        return picture.round().clamp(min: 0, max: 255).to(dtype: .uint8)
    }
}
