import Foundation

/// A DICOM MR series (one file per slice) read into a volume through dcmtk (Debian's
/// libdcmtk-dev), laid out as `NIfTIImage` is, so the two can be used side by side.
///
/// Layout: `data[i, j, k]` is the pixel at column `i`, row `j` of the `k`-th slice, the slices
/// sorted by their position along the slice normal (`ImagePositionPatient · (row cosine ×
/// column cosine)`), not by file name or InstanceNumber. As for `NIfTIImage`, the tensor is a
/// transposed view (`contiguous()` makes it row-major).
///
/// Values are `RescaleSlope × stored + RescaleIntercept` (per slice; 1 and 0 when absent) as
/// float32, computed in float64. Stored values are 8- or 16-bit, signed or unsigned
/// (`PixelRepresentation`), monochrome (MONOCHROME1 values as stored, not inverted), one frame
/// per file; files in the RLE, JPEG and JPEG-LS transfer syntaxes are decoded with dcmtk's
/// decoders, others (JPEG 2000, ...) are refused.
///
/// The affine maps `(i, j, k, 1)` to **RAS** millimetres, as nibabel and dcm2niix give it next
/// to NIfTI: DICOM's patient coordinates are LPS, so the first two rows of the DICOM affine
/// (columns: row cosine × column spacing, column cosine × row spacing, the step from the first
/// slice's position to the next, the first slice's position) are negated.
/// `NIfTIImage(data: volume.data, affine: volume.affine)` therefore writes a NIfTI that nibabel
/// places where the DICOM series lies.
public struct DICOMVolume {
    /// The rescaled values, `[columns, rows, slices]` float32.
    public var data: Tensor
    /// The voxel-to-world (RAS, millimetres) transform, `[4, 4]` float64.
    public var affine: Tensor
    /// The voxel size `[column spacing, row spacing, slice spacing]` in millimetres:
    /// `PixelSpacing` reversed (DICOM gives the row spacing first), and the distance between
    /// neighbouring slices' positions (`SpacingBetweenSlices`, else `SliceThickness`, for a
    /// single slice).
    public var spacing: [Double]
    /// `ImageOrientationPatient` as stored: the row and column direction cosines, in DICOM's
    /// LPS patient coordinates.
    public var orientation: [Double]
    /// The series' `SeriesInstanceUID`.
    public var seriesInstanceUID: String
    /// The files, in slice order (`data[..., ..., k]` is read from `files[k]`).
    public var files: [URL]

    /// Reads the series held by the files in `directory` (hidden files and a `DICOMDIR` are
    /// skipped). Throws `DataError` naming the directory and `SeriesInstanceUID`, and listing
    /// the files of each series, when the directory holds more than one series (choose one with
    /// `DICOMVolume.series(in:)` and `init(files:)`), and as `init(files:)` does.
    public init(directory: URL) throws {
        let groups = try Self.series(in: directory)
        guard !groups.isEmpty else { throw DataError(file: directory.path, "the directory holds no DICOM files") }
        guard groups.count == 1, let files = groups.values.first else {
            let list = groups.sorted { $0.key < $1.key }.map { uid, files in
                "\(uid) (\(files.map(\.lastPathComponent).joined(separator: ", ")))"
            }
            throw DataError(
                file: directory.path, field: DICOMTag.seriesInstanceUID.keyword,
                "the directory mixes \(groups.count) series: \(list.joined(separator: "; "))")
        }
        try self.init(files: files)
    }

    /// Reads one series from `files` (one slice each, in any order).
    ///
    /// Throws `DataError` naming the file and the element for: a file that is missing, not DICOM
    /// Part 10 or truncated; a missing or malformed `ImagePositionPatient`,
    /// `ImageOrientationPatient`, `PixelSpacing`, `Rows`, `Columns`, `BitsAllocated` or
    /// `PixelData`; pixel data shorter than `Rows × Columns` pixels; colour, multi-frame or
    /// other than 8/16-bit images; a transfer syntax dcmtk cannot decode; files of different
    /// series, sizes, orientations or spacings; two slices at one position; and unevenly spaced
    /// slices (a missing slice).
    public init(files: [URL]) throws {
        guard !files.isEmpty else {
            throw DataError(file: "", "DICOMVolume(files:) was given no files")
        }
        let slices = try files.map { try DICOMSlice(file: DICOMFile(path: $0.path)) }
        let first = slices[0]
        for slice in slices.dropFirst() { try slice.checkMatches(first) }
        let normal = first.normal
        let sorted = slices.sorted { $0.distance(along: normal) < $1.distance(along: normal) }
        let sliceStep = try Self.sliceStep(sorted, normal: normal)

        let (rows, columns) = (first.rows, first.columns)
        var values = [Float](repeating: 0, count: sorted.count * rows * columns)
        try values.withUnsafeMutableBufferPointer { buffer in
            for (index, slice) in sorted.enumerated() {
                try slice.readValues(into: UnsafeMutableBufferPointer(rebasing: buffer[(index * rows * columns)...]))
            }
        }
        data = Tensor(values, shape: [sorted.count, rows, columns]).permute([2, 1, 0])

        // The DICOM (LPS) affine's columns, then x and y negated for RAS.
        let origin = sorted[0].position
        let columnsOfAffine = [
            first.orientation[0..<3].map { $0 * first.pixelSpacing[1] },
            first.orientation[3..<6].map { $0 * first.pixelSpacing[0] },
            sliceStep,
            origin,
        ]
        var matrix = [Double](repeating: 0, count: 16)
        for row in 0..<3 {
            for column in 0..<4 { matrix[row * 4 + column] = (row < 2 ? -1 : 1) * columnsOfAffine[column][row] }
        }
        matrix[15] = 1
        affine = Tensor(matrix, shape: [4, 4])
        spacing = [first.pixelSpacing[1], first.pixelSpacing[0], sliceStep.map { $0 * $0 }.reduce(0, +).squareRoot()]
        orientation = first.orientation
        seriesInstanceUID = first.seriesInstanceUID
        self.files = sorted.map { URL(fileURLWithPath: $0.file.path) }
    }

    /// The DICOM files in `directory` grouped by `SeriesInstanceUID`, each group sorted by file
    /// name. Hidden files and `DICOMDIR` are skipped; any other file that is not DICOM is an error.
    public static func series(in directory: URL) throws -> [String: [URL]] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw DataError(file: directory.path, "cannot list the directory: \(error.localizedDescription)")
        }
        var groups: [String: [URL]] = [:]
        for name in names.sorted() where !name.hasPrefix(".") && name != "DICOMDIR" {
            let url = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            let file = try DICOMFile(path: url.path)
            guard let uid = try file.string(.seriesInstanceUID) else {
                throw DataError(file: url.path, field: DICOMTag.seriesInstanceUID.keyword, "is missing")
            }
            groups[uid, default: []].append(url)
        }
        return groups
    }

    /// The step from one slice's position to the next (`[3]`, LPS): the mean over the series,
    /// after checking the slices are evenly spaced; for a single slice, the normal times
    /// `SpacingBetweenSlices` (else `SliceThickness`, else 1).
    private static func sliceStep(_ sorted: [DICOMSlice], normal: [Double]) throws -> [Double] {
        guard sorted.count > 1 else {
            let file = sorted[0].file
            let thickness = try file.number(.sliceThickness, default: 1)
            let spacing = try file.number(.spacingBetweenSlices, default: thickness)
            return normal.map { $0 * spacing }
        }
        let distances = sorted.map { $0.distance(along: normal) }
        let gaps = zip(distances.dropFirst(), distances).map { $0 - $1 }
        // A missing slice shows as a gap wider than the others: compare each with the narrowest.
        let narrowest = gaps.min()!
        for (index, gap) in gaps.enumerated() where gap <= 1e-3 {
            throw DataError(
                file: sorted[index + 1].file.path, field: DICOMTag.imagePositionPatient.keyword,
                "lies at the same position as \(sorted[index].file.path) (several echoes or times in one series?)")
        }
        for (index, gap) in gaps.enumerated() {
            let (previous, next) = (sorted[index].file.path, sorted[index + 1].file.path)
            // DS values carry few decimals: 1 % of the spacing absorbs their rounding.
            guard gap - narrowest <= 0.01 * narrowest else {
                throw DataError(
                    file: next, field: DICOMTag.imagePositionPatient.keyword,
                    "lies \(gap) mm from the previous slice (\(previous)), but other slices are \(narrowest) mm "
                        + "apart: the series has a missing slice or uneven spacing")
            }
        }
        let (first, last) = (sorted.first!.position, sorted.last!.position)
        return (0..<3).map { (last[$0] - first[$0]) / Double(gaps.count) }
    }
}

/// One slice's geometry and pixel format, read and checked from its file.
private struct DICOMSlice {
    let file: DICOMFile
    let seriesInstanceUID: String
    let rows: Int
    let columns: Int
    let bitsAllocated: Int
    let isSigned: Bool
    /// `ImagePositionPatient`: the centre of the first pixel (LPS, mm).
    let position: [Double]
    /// `ImageOrientationPatient`: row cosine, then column cosine.
    let orientation: [Double]
    /// `PixelSpacing`: between rows, then between columns (mm).
    let pixelSpacing: [Double]
    let slope: Double
    let intercept: Double

    init(file: DICOMFile) throws {
        self.file = file
        let path = file.path
        guard let uid = try file.string(.seriesInstanceUID) else {
            throw DataError(file: path, field: DICOMTag.seriesInstanceUID.keyword, "is missing")
        }
        seriesInstanceUID = uid
        let samples = try file.integer(.samplesPerPixel, default: 1)
        guard samples == 1 else {
            throw DataError(
                file: path, field: DICOMTag.samplesPerPixel.keyword, "is \(samples): only monochrome images are read")
        }
        let photometric = try file.string(.photometricInterpretation)?.trimmingCharacters(in: .whitespaces)
        guard photometric == nil || photometric == "MONOCHROME1" || photometric == "MONOCHROME2" else {
            throw DataError(
                file: path, field: DICOMTag.photometricInterpretation.keyword,
                "is \(photometric!): only MONOCHROME1/MONOCHROME2 images are read")
        }
        let frames = try file.integer(.numberOfFrames, default: 1)
        guard frames == 1 else {
            throw DataError(
                file: path, field: DICOMTag.numberOfFrames.keyword,
                "is \(frames): multi-frame (enhanced) images are not read, only one slice per file")
        }
        rows = try file.integer(.rows)
        columns = try file.integer(.columns)
        for (tag, size) in [(DICOMTag.rows, rows), (.columns, columns)] where size < 1 {
            throw DataError(file: path, field: tag.keyword, "is \(size), not a positive size")
        }
        bitsAllocated = try file.integer(.bitsAllocated)
        guard bitsAllocated == 8 || bitsAllocated == 16 else {
            throw DataError(
                file: path, field: DICOMTag.bitsAllocated.keyword, "is \(bitsAllocated): only 8 or 16 bits are read")
        }
        let representation = try file.integer(.pixelRepresentation, default: 0)
        guard representation == 0 || representation == 1 else {
            throw DataError(
                file: path, field: DICOMTag.pixelRepresentation.keyword,
                "is \(representation), not 0 (unsigned) or 1 (signed)")
        }
        isSigned = representation == 1
        position = try file.numbers(.imagePositionPatient, count: 3)
        orientation = try file.numbers(.imageOrientationPatient, count: 6)
        for (name, cosine) in [("row", orientation[0..<3]), ("column", orientation[3..<6])] {
            let length = cosine.map { $0 * $0 }.reduce(0, +).squareRoot()
            guard abs(length - 1) < 1e-3 else {
                throw DataError(
                    file: path, field: DICOMTag.imageOrientationPatient.keyword,
                    "the \(name) direction cosine has length \(length), not 1")
            }
        }
        pixelSpacing = try file.numbers(.pixelSpacing, count: 2)
        guard pixelSpacing.allSatisfy({ $0 > 0 }) else {
            throw DataError(file: path, field: DICOMTag.pixelSpacing.keyword, "\(pixelSpacing) is not positive")
        }
        slope = try file.number(.rescaleSlope, default: 1)
        intercept = try file.number(.rescaleIntercept, default: 0)
    }

    /// The slice normal: row cosine × column cosine.
    var normal: [Double] {
        let (r, c) = (Array(orientation[0..<3]), Array(orientation[3..<6]))
        return [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]]
    }

    /// The position's component along `normal`.
    func distance(along normal: [Double]) -> Double {
        zip(position, normal).map { $0 * $1 }.reduce(0, +)
    }

    /// Throws naming this slice's file when it cannot be stacked with `first` (another series,
    /// size, pixel format, orientation or pixel spacing).
    func checkMatches(_ first: DICOMSlice) throws {
        func mismatch(_ tag: DICOMTag, _ value: Any, _ expected: Any) -> DataError {
            DataError(file: file.path, field: tag.keyword, "is \(value), but \(first.file.path) has \(expected)")
        }
        if seriesInstanceUID != first.seriesInstanceUID {
            throw mismatch(.seriesInstanceUID, seriesInstanceUID, first.seriesInstanceUID)
        }
        if rows != first.rows { throw mismatch(.rows, rows, first.rows) }
        if columns != first.columns { throw mismatch(.columns, columns, first.columns) }
        if bitsAllocated != first.bitsAllocated { throw mismatch(.bitsAllocated, bitsAllocated, first.bitsAllocated) }
        if isSigned != first.isSigned {
            throw mismatch(.pixelRepresentation, isSigned ? 1 : 0, first.isSigned ? 1 : 0)
        }
        // Orientation and spacing are DS text: compare to the precision such values are written with.
        if zip(orientation, first.orientation).contains(where: { abs($0 - $1) > 1e-4 }) {
            throw mismatch(.imageOrientationPatient, orientation, first.orientation)
        }
        if zip(pixelSpacing, first.pixelSpacing).contains(where: { abs($0 - $1) > 1e-4 * $1 }) {
            throw mismatch(.pixelSpacing, pixelSpacing, first.pixelSpacing)
        }
    }

    /// Writes `slope × stored + intercept` (computed in float64) for the `rows × columns` pixels,
    /// row by row, into `values`.
    func readValues(into values: UnsafeMutableBufferPointer<Float>) throws {
        let count = rows * columns
        let needed = count * bitsAllocated / 8
        try file.withPixelData { bytes in
            // Odd-length values are padded to even length, so one byte more is fine.
            guard bytes.count == needed || (needed % 2 == 1 && bytes.count == needed + 1) else {
                throw DataError(
                    file: file.path, field: DICOMTag.pixelData.keyword,
                    "holds \(bytes.count) bytes, but Rows × Columns = \(rows) × \(columns) pixels of "
                        + "\(bitsAllocated) bits need \(needed)")
            }
            func convert<Stored: BinaryInteger>(_ type: Stored.Type) {
                for (index, stored) in bytes.bindMemory(to: type).prefix(count).enumerated() {
                    values[index] = Float(Double(stored) * slope + intercept)
                }
            }
            switch (bitsAllocated, isSigned) {
            case (8, false): convert(UInt8.self)
            case (8, true): convert(Int8.self)
            case (16, false): convert(UInt16.self)
            default: convert(Int16.self)
            }
        }
    }
}
