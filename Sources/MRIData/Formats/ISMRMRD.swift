import CISMRMRD
import Foundation

/// A flag of an ISMRMRD acquisition header: the bit number (from 1) in the header's `flags`, as
/// ISMRMRD's `ISMRMRD_AcquisitionFlags` numbers them.
public enum ISMRMRDAcquisitionFlag: Int, Sendable, CaseIterable {
    case firstInSlice = 7
    case lastInSlice = 8
    case isNoiseMeasurement = 19
    case isParallelCalibration = 20
    case isParallelCalibrationAndImaging = 21
    case isReverse = 22
    case isNavigationData = 23
    case isPhaseCorrectionData = 24
    case lastInMeasurement = 25
    case isHPFeedbackData = 26
    case isDummyScanData = 27
    case isRTFeedbackData = 28
    case isSurfaceCoilCorrectionScanData = 29
    case isPhaseStabilizationReference = 30
    case isPhaseStabilization = 31

    /// The flags of acquisitions that are not k-space of the image: noise scans,
    /// calibration-only lines (calibration-and-imaging lines are k-space), navigators, phase
    /// correction, feedback, dummy scans, surface-coil correction and phase stabilisation.
    public static let notImaging: [ISMRMRDAcquisitionFlag] = [
        .isNoiseMeasurement, .isParallelCalibration, .isNavigationData, .isPhaseCorrectionData, .isHPFeedbackData,
        .isDummyScanData, .isRTFeedbackData, .isSurfaceCoilCorrectionScanData, .isPhaseStabilizationReference,
        .isPhaseStabilization,
    ]

    /// Whether this flag is set in a header's `flags`.
    public func isSet(in flags: UInt64) -> Bool { flags & (1 << UInt64(rawValue - 1)) != 0 }

    /// Whether `flags` mark an acquisition as k-space of the image: none of `notImaging` is set.
    public static func marksImaging(_ flags: UInt64) -> Bool { !notImaging.contains { $0.isSet(in: flags) } }
}

/// One acquisition (readout) of an ISMRMRD dataset: the header fields MRIKit uses and the samples.
public struct ISMRMRDAcquisition {
    /// The header's `flags` bit field (see `isSet(_:)`).
    public var flags: UInt64
    /// The header's `scan_counter`.
    public var scanCounter: Int
    /// `idx.kspace_encode_step_1`: the phase-encoding line.
    public var encodeStep1: Int
    /// `idx.kspace_encode_step_2`: the partition (3D) encoding.
    public var encodeStep2: Int
    /// `idx.slice`.
    public var slice: Int
    /// `idx.average`.
    public var average: Int
    /// `idx.contrast` (echo).
    public var contrast: Int
    /// `idx.phase` (cardiac phase).
    public var phase: Int
    /// `idx.repetition`.
    public var repetition: Int
    /// `idx.set`.
    public var set: Int
    /// `center_sample`: the sample at the k-space centre of the readout.
    public var centerSample: Int
    /// The samples, `[coils, samples]` complex64 (`active_channels × number_of_samples`).
    public var data: Tensor

    /// Whether `flag` is set in `flags`.
    public func isSet(_ flag: ISMRMRDAcquisitionFlag) -> Bool { flag.isSet(in: flags) }

    /// Whether the acquisition is k-space of the image: none of `ISMRMRDAcquisitionFlag.notImaging` is set.
    public var isImaging: Bool { ISMRMRDAcquisitionFlag.marksImaging(flags) }
}

/// Cartesian k-space assembled from an ISMRMRD dataset's imaging acquisitions.
public struct ISMRMRDKSpace {
    /// `[slices, coils, ky, kx]` complex64: `ky` spans the encoded matrix's y, `kx` the samples
    /// of a readout; lines not acquired are zero.
    public var kspace: Tensor
    /// `[slices, ky]` bool: true where a line was acquired.
    public var mask: Tensor
}

/// An ISMRMRD raw-data file (HDF5, `/dataset/xml` and `/dataset/data`) read through libismrmrd
/// (Debian's libismrmrd-dev).
///
/// The XML header's encoding is parsed as fastMRI parses its `ismrmrd_header` (`FastMRIHeader`):
/// fastMRI's files carry the same header.
public final class ISMRMRDFile {
    /// The file's path.
    public let path: String
    /// The XML header as stored.
    public let xml: String
    /// The encoded and reconstructed matrix sizes and the phase-encoding limits from `xml`.
    public let header: FastMRIHeader
    /// The number of acquisitions in the file.
    public let acquisitionCount: Int
    private let handle: mk_ismrmrd

    /// Opens the dataset group `group` of the file at `url`. Throws `DataError` for a missing
    /// file, one that is not an ISMRMRD HDF5 file, and a missing or malformed XML header
    /// (field `xml`).
    public init(contentsOf url: URL, group: String = "dataset") throws {
        path = url.path
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw DataError(file: path, "no such readable file")
        }
        var message = [CChar](repeating: 0, count: 512)
        guard let handle = mk_ismrmrd_open(path, group, &message, message.count) else {
            throw DataError(file: path, "not a readable ISMRMRD file (libismrmrd: \(decodedCString(message)))")
        }
        self.handle = handle
        guard let text = mk_ismrmrd_header(handle, &message, message.count) else {
            mk_ismrmrd_close(handle)
            throw DataError(file: path, field: "xml", "cannot be read (libismrmrd: \(decodedCString(message)))")
        }
        xml = String(cString: text)
        free(text)
        do {
            header = try FastMRIHeader(parsing: Data(xml.utf8), file: path, field: "xml")
        } catch {
            mk_ismrmrd_close(handle)
            throw error
        }
        acquisitionCount = Int(mk_ismrmrd_acquisition_count(handle))
    }

    deinit { mk_ismrmrd_close(handle) }

    /// Acquisition `index` (0 ..< `acquisitionCount`).
    public func acquisition(_ index: Int) throws -> ISMRMRDAcquisition {
        try withAcquisition(index) { head, samples in
            let coils = Int(head.active_channels)
            let data = Tensor(
                bytes: UnsafeRawBufferPointer(samples), shape: [coils, Int(head.number_of_samples)], dtype: .complex64)
            return ISMRMRDAcquisition(
                flags: head.flags, scanCounter: Int(head.scan_counter), encodeStep1: Int(head.idx.kspace_encode_step_1),
                encodeStep2: Int(head.idx.kspace_encode_step_2), slice: Int(head.idx.slice),
                average: Int(head.idx.average), contrast: Int(head.idx.contrast), phase: Int(head.idx.phase),
                repetition: Int(head.idx.repetition), set: Int(head.idx.set), centerSample: Int(head.center_sample),
                data: data)
        }
    }

    /// Assembles the imaging acquisitions (see `ISMRMRDAcquisition.isImaging`) of a 2D Cartesian
    /// dataset: each line goes to `ky = kspace_encode_step_1 + (encoded y / 2 − centre)`, the
    /// zero-padding of a partial-Fourier acquisition fastMRI (`FastMRIHeader.paddingLeft`) and
    /// Gadgetron use.
    ///
    /// Throws `DataError` naming the file and the header field for data it cannot place: no
    /// imaging acquisitions, 3D encoding (`kspace_encode_step_2`), reversed (EPI) readouts,
    /// readouts of different lengths or coil counts, a line outside the encoded matrix, and a
    /// line acquired twice (averages, repetitions, contrasts or sets are not combined).
    public func cartesianKSpace() throws -> ISMRMRDKSpace {
        struct Line {
            let index: Int
            let slice: Int
            let ky: Int
        }
        var lines: [Line] = []
        var readout: (coils: Int, samples: Int)?
        var seen: [Int: Int] = [:]  // slice * ny + ky → acquisition index
        let ny = header.encodingSize[1]
        for index in 0..<acquisitionCount {
            let line = try withAcquisition(index) { head, _ -> Line? in
                guard ISMRMRDAcquisitionFlag.marksImaging(head.flags) else { return nil }
                let field = "data[\(index)].head"
                if head.idx.kspace_encode_step_2 != 0 {
                    throw DataError(
                        file: path, field: "\(field).idx.kspace_encode_step_2",
                        "is \(head.idx.kspace_encode_step_2): 3D encodings are not assembled")
                }
                if ISMRMRDAcquisitionFlag.isReverse.isSet(in: head.flags) {
                    throw DataError(file: path, field: "\(field).flags", "reversed (EPI) readouts are not assembled")
                }
                let shape = (coils: Int(head.active_channels), samples: Int(head.number_of_samples))
                if let readout, readout != shape {
                    throw DataError(
                        file: path, field: "\(field).number_of_samples",
                        "\(shape.coils) coils × \(shape.samples) samples, but earlier imaging acquisitions have "
                            + "\(readout.coils) × \(readout.samples)")
                }
                readout = shape
                let ky = Int(head.idx.kspace_encode_step_1) + header.paddingLeft
                guard (0..<ny).contains(ky) else {
                    throw DataError(
                        file: path, field: "\(field).idx.kspace_encode_step_1",
                        "line \(head.idx.kspace_encode_step_1) falls at ky \(ky), outside the encoded matrix's \(ny)")
                }
                let slice = Int(head.idx.slice)
                if let earlier = seen.updateValue(index, forKey: slice * ny + ky) {
                    throw DataError(
                        file: path, field: "\(field).idx",
                        "slice \(slice), line \(head.idx.kspace_encode_step_1) was acquired before (acquisition "
                            + "\(earlier)): averages, repetitions, contrasts and sets are not combined")
                }
                return Line(index: index, slice: slice, ky: ky)
            }
            if let line { lines.append(line) }
        }
        guard let readout, !lines.isEmpty else {
            throw DataError(file: path, field: "data", "holds no imaging acquisitions")
        }
        let slices = lines.map(\.slice).max()! + 1
        let lineFloats = readout.samples * 2
        var values = [Float](repeating: 0, count: slices * readout.coils * ny * lineFloats)
        var sampled = [Bool](repeating: false, count: slices * ny)
        for line in lines {
            try withAcquisition(line.index) { _, samples in
                for coil in 0..<readout.coils {
                    let start = ((line.slice * readout.coils + coil) * ny + line.ky) * lineFloats
                    for offset in 0..<lineFloats { values[start + offset] = samples[coil * lineFloats + offset] }
                }
            }
            sampled[line.slice * ny + line.ky] = true
        }
        let kspace = values.withUnsafeBytes {
            Tensor(bytes: $0, shape: [slices, readout.coils, ny, readout.samples], dtype: .complex64)
        }
        return ISMRMRDKSpace(kspace: kspace, mask: Tensor(sampled, shape: [slices, ny]))
    }

    /// Reads acquisition `index` and calls `body` with its header and its samples (interleaved
    /// float32 real and imaginary parts, `active_channels × number_of_samples` complex values),
    /// valid only during the call.
    private func withAcquisition<Result>(
        _ index: Int, _ body: (ISMRMRD_AcquisitionHeader, UnsafeBufferPointer<Float>) throws -> Result
    ) throws -> Result {
        guard (0..<acquisitionCount).contains(index) else {
            throw DataError(file: path, field: "data", "acquisition \(index) is outside 0..<\(acquisitionCount)")
        }
        var head = ISMRMRD_AcquisitionHeader()
        var samples: UnsafePointer<Float>?
        var message = [CChar](repeating: 0, count: 512)
        guard mk_ismrmrd_read_acquisition(handle, UInt32(index), &head, &samples, &message, message.count) == 0 else {
            throw DataError(
                file: path, field: "data[\(index)]", "cannot be read (libismrmrd: \(decodedCString(message)))")
        }
        let count = Int(head.active_channels) * Int(head.number_of_samples) * 2
        return try body(head, UnsafeBufferPointer(start: count == 0 ? nil : samples, count: count))
    }
}
