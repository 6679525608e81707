import Foundation

/// The slices of every fastMRI file in a folder (fastMRI's `SliceDataset`): training,
/// validation, test and challenge folders alike, single- or multi-coil.
///
/// The files' metadata is read and checked when the dataset is made; each sample then reads
/// one slice from its file, never the volume, so memory stays one slice per sample.
public struct FastMRISliceDataset: Dataset {
    /// Which k-space and target the dataset reads.
    public enum Challenge: String, Sendable {
        /// `[slices, H, W]` k-space, `reconstruction_esc` targets.
        case singleCoil = "singlecoil"
        /// `[slices, coils, H, W]` k-space, `reconstruction_rss` targets.
        case multiCoil = "multicoil"

        /// The target dataset of this challenge.
        public var reconstruction: FastMRIReconstruction { self == .singleCoil ? .esc : .rss }
    }

    /// One slice of one file, before it is read.
    public struct SliceReference: Sendable, Equatable {
        /// The file's path.
        public var path: String
        /// The slice's index in the file.
        public var slice: Int
        /// The file's metadata.
        public var metadata: FastMRIMetadata
    }

    /// The challenge read.
    public let challenge: Challenge
    /// The slices, in the order samples are numbered.
    public let slices: [SliceReference]

    /// The number of slices.
    public var count: Int { slices.count }

    /// The slices of the `.h5` files in `root` (sorted by name).
    ///
    /// - Parameters:
    ///   - sampleRate: the fraction of slices kept (chosen at random), or `nil` for all.
    ///   - volumeSampleRate: the fraction of volumes kept, all their slices with them, or `nil`
    ///     for all. Set at most one of the two rates, as in fastMRI.
    ///   - seed: seeds the random choice of slices or volumes (`torch.randperm` with a generator
    ///     seeded so), so a subset is the same on every run.
    ///   - filter: keeps only the slices for which it returns true (fastMRI's `raw_sample_filter`).
    /// - Throws: `DataError` naming the folder when it cannot be listed, or naming a file and field
    ///   when a file's metadata is bad or its k-space does not fit `challenge`.
    public init(
        root: String, challenge: Challenge, sampleRate: Double? = nil, volumeSampleRate: Double? = nil,
        seed: UInt64 = 0, filter: (SliceReference) -> Bool = { _ in true }
    ) throws {
        precondition(
            sampleRate == nil || volumeSampleRate == nil,
            "FastMRISliceDataset: set sampleRate (by slices) or volumeSampleRate (by volumes), not both")
        self.challenge = challenge
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: root)
                .filter { $0.hasSuffix(".h5") && !$0.hasPrefix(".") }.sorted()
        } catch {
            throw DataError(file: root, "cannot be listed: \(error.localizedDescription)")
        }
        var slices: [SliceReference] = []
        for name in names {
            let path = URL(fileURLWithPath: root).appendingPathComponent(name).path
            let metadata = try FastMRIMetadata(reading: try HDF5File(reading: path))
            guard metadata.isMultiCoil == (challenge == .multiCoil) else {
                throw DataError(
                    file: path, field: "kspace",
                    "has shape \(metadata.kspaceShape), not \(challenge.rawValue) k-space")
            }
            slices += (0..<metadata.sliceCount).map { SliceReference(path: path, slice: $0, metadata: metadata) }
                .filter(filter)
        }
        let generator = Generator(seed: seed)
        if let sampleRate, sampleRate < 1 {
            slices = Self.randomSubset(slices, rate: sampleRate, generator: generator)
        } else if let volumeSampleRate, volumeSampleRate < 1 {
            let volumes = Array(Set(slices.map(\.path))).sorted()
            let kept = Set(Self.randomSubset(volumes, rate: volumeSampleRate, generator: generator))
            slices = slices.filter { kept.contains($0.path) }
        }
        self.slices = slices
    }

    /// The first `round(count × rate)` elements of a random permutation of `elements`.
    private static func randomSubset<Element>(_ elements: [Element], rate: Double, generator: Generator) -> [Element] {
        let kept = Int((Double(elements.count) * rate).rounded(.toNearestOrEven))
        let order = Tensor.randperm(elements.count, generator: generator).toArray(of: Int.self)
        return order.prefix(kept).map { elements[$0] }
    }

    /// Reads slice `index`: its k-space, the file's mask, its target and the file's attributes.
    public func sample(at index: Int) throws -> FastMRISample {
        let reference = slices[index]
        let file = FastMRIFile(file: try HDF5File(reading: reference.path), metadata: reference.metadata)
        let metadata = reference.metadata
        let hasTarget = metadata.reconstructions.contains(challenge.reconstruction)
        return FastMRISample(
            kspace: try file.kspace(slice: reference.slice), mask: try file.mask(),
            target: hasTarget ? try file.reconstruction(challenge.reconstruction, slice: reference.slice) : nil,
            attributes: metadata.attributes, header: metadata.header,
            fileName: URL(fileURLWithPath: reference.path).lastPathComponent, sliceIndex: reference.slice,
            maxValue: hasTarget ? metadata.attributes.max ?? 0 : 0, cropSize: Array(metadata.header.reconSize.prefix(2)))
    }
}
