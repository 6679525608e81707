import Foundation

/// The volumes of a folder of fastMRI multi-coil files, each slice undersampled as fastMRI's
/// validation and test transforms do: by the file's own `mask` (test files), or by the mask
/// function seeded with the file name (training and validation files).
public struct FastMRIVolumes {
    /// One undersampled volume.
    public struct Volume {
        /// The file's name.
        public var fileName: String
        /// The slices, in order, each a batch of one.
        public var slices: [VarNetBatch]
        /// The target `[slices, h, w]` when the file has one.
        public var target: Tensor?
    }

    private let dataset: TransformedDataset<FastMRISliceDataset, VarNetSample>

    /// The volumes under `folder`; `mask` undersamples files without a `mask` dataset.
    public init(folder: String, mask: MaskRecipe) throws {
        let slices = try FastMRISliceDataset(root: folder, challenge: .multiCoil)
        guard slices.count > 0 else { throw DataError(file: folder, "holds no fastMRI .h5 slices") }
        let undersampled = VarNetDataTransform(undersampling: Undersampling(try mask.make(), seeding: .fileName))
        let ownMask = VarNetDataTransform()
        dataset = slices.map { sample, generator in
            try (sample.mask == nil ? undersampled : ownMask)(KSpaceSlice(sample), generator: generator)
        }
    }

    /// Calls `body` with each volume in file-name order (one volume in memory at a time).
    public func forEach(_ body: (Volume) throws -> Void) throws {
        var current: [VarNetSample] = []
        func flush() throws {
            guard let first = current.first else { return }
            let ordered = current.sorted { $0.sliceNumber < $1.sliceNumber }
            let hasTarget = first.target.rank == 2
            try body(Volume(
                fileName: first.fileName, slices: try ordered.map { try VarNetSample.collate([$0]) },
                target: hasTarget ? Tensor.stack(ordered.map(\.target)) : nil))
            current = []
        }
        let generator = Generator(seed: 0)
        for index in 0..<dataset.count {
            let sample = try dataset.sample(at: index, generator: generator)
            if let first = current.first, first.fileName != sample.fileName { try flush() }
            current.append(sample)
        }
        try flush()
    }
}
