import CDICOM
import Foundation

/// A DICOM data element MRIData reads: its tag and its keyword (the name errors give as field).
struct DICOMTag: Sendable {
    let group: UInt16
    let element: UInt16
    let keyword: String

    static let transferSyntaxUID = DICOMTag(group: 0x0002, element: 0x0010, keyword: "TransferSyntaxUID")
    static let sliceThickness = DICOMTag(group: 0x0018, element: 0x0050, keyword: "SliceThickness")
    static let spacingBetweenSlices = DICOMTag(group: 0x0018, element: 0x0088, keyword: "SpacingBetweenSlices")
    static let seriesInstanceUID = DICOMTag(group: 0x0020, element: 0x000E, keyword: "SeriesInstanceUID")
    static let imagePositionPatient = DICOMTag(group: 0x0020, element: 0x0032, keyword: "ImagePositionPatient")
    static let imageOrientationPatient = DICOMTag(group: 0x0020, element: 0x0037, keyword: "ImageOrientationPatient")
    static let samplesPerPixel = DICOMTag(group: 0x0028, element: 0x0002, keyword: "SamplesPerPixel")
    static let photometricInterpretation = DICOMTag(
        group: 0x0028, element: 0x0004, keyword: "PhotometricInterpretation")
    static let numberOfFrames = DICOMTag(group: 0x0028, element: 0x0008, keyword: "NumberOfFrames")
    static let rows = DICOMTag(group: 0x0028, element: 0x0010, keyword: "Rows")
    static let columns = DICOMTag(group: 0x0028, element: 0x0011, keyword: "Columns")
    static let pixelSpacing = DICOMTag(group: 0x0028, element: 0x0030, keyword: "PixelSpacing")
    static let bitsAllocated = DICOMTag(group: 0x0028, element: 0x0100, keyword: "BitsAllocated")
    static let pixelRepresentation = DICOMTag(group: 0x0028, element: 0x0103, keyword: "PixelRepresentation")
    static let rescaleIntercept = DICOMTag(group: 0x0028, element: 0x1052, keyword: "RescaleIntercept")
    static let rescaleSlope = DICOMTag(group: 0x0028, element: 0x1053, keyword: "RescaleSlope")
    static let pixelData = DICOMTag(group: 0x7FE0, element: 0x0010, keyword: "PixelData")
}

/// One DICOM Part 10 file loaded by dcmtk (through CDICOM), with typed access to its elements;
/// every failure is a `DataError` naming the file and the element's keyword.
///
/// dcmtk reads large values (the Pixel Data) from disk only when they are asked for, so opening
/// a file to read its header is cheap.
final class DICOMFile {
    /// The file's path.
    let path: String
    private let handle: mk_dicom_file

    /// Loads the file at `path`; throws for a missing file, one without the Part 10 preamble
    /// ("DICM") and meta header, and one dcmtk cannot parse (a truncated one, say).
    init(path: String) throws {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw DataError(file: path, "no such readable file")
        }
        var message = [CChar](repeating: 0, count: 512)
        guard let handle = mk_dicom_open(path, &message, message.count) else {
            throw DataError(
                file: path, "not a readable DICOM Part 10 file (dcmtk: \(decodedCString(message)))")
        }
        self.path = path
        self.handle = handle
    }

    deinit { mk_dicom_free(handle) }

    /// The element's value as stored (multiple values joined by backslashes), or `nil` when it is
    /// absent or empty.
    func string(_ tag: DICOMTag) throws -> String? {
        var value = [CChar](repeating: 0, count: 4096)
        switch mk_dicom_string(handle, tag.group, tag.element, &value, value.count) {
        case 1: return decodedCString(value)
        case 0: return nil
        default: throw DataError(file: path, field: tag.keyword, "cannot be read: \(decodedCString(value))")
        }
    }

    /// The element's numbers (a DS, IS or US element's values); throws when it is absent, holds
    /// text that is not a number, or (with `count`) holds another number of values.
    func numbers(_ tag: DICOMTag, count: Int? = nil) throws -> [Double] {
        guard let text = try string(tag) else { throw DataError(file: path, field: tag.keyword, "is missing") }
        let values = try text.split(separator: "\\", omittingEmptySubsequences: false).map { part in
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let value = Double(trimmed), value.isFinite else {
                throw DataError(file: path, field: tag.keyword, "\"\(text)\" is not a list of numbers")
            }
            return value
        }
        if let count, values.count != count {
            throw DataError(file: path, field: tag.keyword, "has \(values.count) values, not \(count)")
        }
        return values
    }

    /// The element's single number, or `defaultValue` when the element is absent.
    func number(_ tag: DICOMTag, default defaultValue: Double? = nil) throws -> Double {
        if let defaultValue, try string(tag) == nil { return defaultValue }
        return try numbers(tag, count: 1)[0]
    }

    /// The element's single integer, or `defaultValue` when the element is absent.
    func integer(_ tag: DICOMTag, default defaultValue: Int? = nil) throws -> Int {
        let value = try number(tag, default: defaultValue.map(Double.init))
        guard let integer = Int(exactly: value) else {
            throw DataError(file: path, field: tag.keyword, "\(value) is not an integer")
        }
        return integer
    }

    /// The transfer syntax the file is stored in: its UID and dcmtk's name for it.
    var transferSyntax: (uid: String, name: String) {
        var uid = [CChar](repeating: 0, count: 128)
        var name = [CChar](repeating: 0, count: 128)
        mk_dicom_transfer_syntax(handle, &uid, uid.count, &name, name.count)
        return (decodedCString(uid), decodedCString(name))
    }

    /// Calls `body` with the uncompressed Pixel Data in host byte order, decoding RLE, JPEG and
    /// JPEG-LS files with dcmtk's decoders; throws naming the transfer syntax for files stored
    /// in one dcmtk cannot decode (JPEG 2000, say).
    func withPixelData<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
        var bytes: UnsafeRawPointer?
        var message = [CChar](repeating: 0, count: 512)
        let count = mk_dicom_pixel_data(handle, &bytes, &message, message.count)
        guard count >= 0, let bytes else {
            let reason = decodedCString(message)
            // dcmtk's condition text for an absent element (EC_TagNotFound).
            if reason == "Tag not found" {
                throw DataError(file: path, field: DICOMTag.pixelData.keyword, "is missing")
            }
            let (uid, name) = transferSyntax
            throw DataError(
                file: path, field: DICOMTag.transferSyntaxUID.keyword,
                "the pixel data in transfer syntax \(uid) (\(name)) cannot be read: \(reason)")
        }
        return try body(UnsafeRawBufferPointer(start: bytes, count: Int(count)))
    }
}
