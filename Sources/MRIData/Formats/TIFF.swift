import CTIFF
import Foundation

/// TIFF images read through libtiff (Debian's libtiff6), as the LGG segmentation dataset
/// (kaggle_3m) stores them: 8- or 16-bit unsigned samples, 1 to 4 channels (gray, RGB, RGBA;
/// photometric MinIsBlack or RGB), uncompressed or LZW/deflate/PackBits compressed, in strips
/// (not tiles).
public enum TIFFFile {
    /// Reads the first image of the TIFF at `url` as `[channels, height, width]`: `uint8` for
    /// 8-bit samples, `int32` for 16-bit ones (MRIKit has no `uint16` tensors).
    ///
    /// Throws `DataError` naming the file and the TIFF tag (`BitsPerSample`, `SamplesPerPixel`,
    /// `SampleFormat`, `Photometric`, `PlanarConfiguration`, `TileWidth`) for images it cannot
    /// represent as stored values (palettes, YCbCr, inverted gray), and
    /// libtiff's message (field `data`) for truncated or corrupt files.
    public static func read(from url: URL) throws -> Tensor {
        let path = url.path
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw DataError(file: path, "no such readable file")
        }
        let messages = TIFFMessages()
        let handle = try open(path, messages: messages)
        defer { TIFFClose(handle) }
        /// A tag's value (libtiff's default when absent and it has one), or -1.
        func field<Value: FixedWidthInteger>(_ tag: Int32, _ type: Value.Type) -> Int {
            var value = Value.zero
            let found = withUnsafeMutablePointer(to: &value) { pointer in
                withVaList([pointer]) { TIFFVGetFieldDefaulted(handle, UInt32(tag), $0) }
            }
            return found == 1 ? Int(value) : -1
        }
        let width = field(TIFFTAG_IMAGEWIDTH, UInt32.self)
        let height = field(TIFFTAG_IMAGELENGTH, UInt32.self)
        let bits = field(TIFFTAG_BITSPERSAMPLE, UInt16.self)
        let channels = field(TIFFTAG_SAMPLESPERPIXEL, UInt16.self)
        let format = field(TIFFTAG_SAMPLEFORMAT, UInt16.self)
        let planar = field(TIFFTAG_PLANARCONFIG, UInt16.self)
        let photometric = field(TIFFTAG_PHOTOMETRIC, UInt16.self)
        guard width > 0, height > 0 else {
            throw DataError(
                file: path, field: "ImageWidth", "image size \(width)×\(height) is missing or not positive")
        }
        guard format == Int(SAMPLEFORMAT_UINT) else {
            throw DataError(
                file: path, field: "SampleFormat", "only unsigned integer samples are supported, not format \(format)")
        }
        guard bits == 8 || bits == 16 else {
            throw DataError(file: path, field: "BitsPerSample", "\(bits)-bit samples are not supported (8 or 16)")
        }
        guard (1...4).contains(channels) else {
            throw DataError(file: path, field: "SamplesPerPixel", "\(channels) channels are not supported (1 to 4)")
        }
        guard photometric == Int(PHOTOMETRIC_MINISBLACK) || photometric == Int(PHOTOMETRIC_RGB) else {
            throw DataError(
                file: path, field: "Photometric",
                "photometric interpretation \(photometric) is not supported (MinIsBlack or RGB)")
        }
        guard TIFFIsTiled(handle) == 0 else {
            throw DataError(file: path, field: "TileWidth", "tiled TIFFs are not supported (only strips)")
        }
        guard planar == Int(PLANARCONFIG_CONTIG) || planar == Int(PLANARCONFIG_SEPARATE) else {
            throw DataError(file: path, field: "PlanarConfiguration", "unknown planar configuration \(planar)")
        }

        // Contiguous: each row interleaves the channels. Separate: each channel is its own plane.
        let sampleBytes = bits / 8
        let planes = planar == Int(PLANARCONFIG_CONTIG) ? 1 : channels
        let rowBytes = width * sampleBytes * (planes == 1 ? channels : 1)
        guard TIFFScanlineSize(handle) == rowBytes else {
            throw DataError(
                file: path, field: "ImageWidth", "libtiff's row size \(TIFFScanlineSize(handle)) is not \(rowBytes)")
        }
        var pixels = [UInt8](repeating: 0, count: rowBytes * height * planes)
        try pixels.withUnsafeMutableBytes { buffer in
            for plane in 0..<planes {
                for row in 0..<height {
                    let start = buffer.baseAddress.map { $0 + (plane * height + row) * rowBytes }
                    guard TIFFReadScanline(handle, start, UInt32(row), UInt16(plane)) == 1 else {
                        throw DataError(
                            file: path, field: "data",
                            "cannot read row \(row) of plane \(plane): \(messages.last ?? "truncated or corrupt")")
                    }
                }
            }
        }
        let shape = planes == 1 ? [height, width, channels] : [channels, height, width]
        let tensor: Tensor =
            bits == 8
            ? Tensor(pixels, shape: shape)
            : pixels.withUnsafeBytes { Tensor($0.bindMemory(to: UInt16.self).map(Int32.init), shape: shape) }
        return planes == 1 ? tensor.permute([2, 0, 1]).contiguous() : tensor
    }

    /// Opens `path` with libtiff, its errors and warnings sent to `messages` (not to stderr).
    private static func open(_ path: String, messages: TIFFMessages) throws -> OpaquePointer {
        guard let options = TIFFOpenOptionsAlloc() else { throw DataError(file: path, "libtiff cannot allocate") }
        defer { TIFFOpenOptionsFree(options) }
        let box = Unmanaged.passUnretained(messages).toOpaque()
        TIFFOpenOptionsSetErrorHandlerExtR(options, TIFFMessages.record, box)
        TIFFOpenOptionsSetWarningHandlerExtR(options, TIFFMessages.ignore, box)
        guard let handle = TIFFOpenExt(path, "r", options) else {
            throw DataError(
                file: path, field: "header", "not a readable TIFF: \(messages.last ?? "libtiff refused it")")
        }
        return handle
    }
}

/// Collects libtiff's error messages for one file.
private final class TIFFMessages {
    var last: String?

    static let record: TIFFErrorHandlerExtR = { _, box, module, format, arguments in
        guard let box, let format, let arguments else { return 1 }
        var text = [CChar](repeating: 0, count: 512)
        vsnprintf(&text, text.count, format, arguments)
        let message = decodedCString(text)
        Unmanaged<TIFFMessages>.fromOpaque(box).takeUnretainedValue().last =
            module.map { "\(String(cString: $0)): \(message)" } ?? message
        return 1
    }

    /// Warnings (unknown tags and the like) do not stop reading; returning 1 keeps them off stderr.
    static let ignore: TIFFErrorHandlerExtR = { _, _, _, _, _ in 1 }
}
