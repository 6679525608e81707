/// One segmentation example as the training task sees it, whatever the source: the network's
/// input and the target it is scored against.
public struct SegmentationSample: Sendable, Collatable {
    /// The input, float32 `[C, spatial...]`.
    public var image: Tensor
    /// The target: float32 `[K, spatial...]` regions (1 inside) for sigmoid outputs, or an int64
    /// class map `[1, spatial...]` for softmax outputs.
    public var target: Tensor

    /// A sample of these fields.
    public init(image: Tensor, target: Tensor) {
        self.image = image
        self.target = target
    }

    /// Each field stacked along a new batch dimension.
    public static func collate(_ samples: [SegmentationSample]) throws -> SegmentationSample {
        try SegmentationSample(image: .collate(samples.map(\.image)), target: .collate(samples.map(\.target)))
    }
}

/// How a segmentation target is laid out and scored.
public enum SegmentationTargetKind: Sendable, Equatable {
    /// Independent regions, one channel each (a lesion mask; BraTS's TC/WT/ET): sigmoid outputs,
    /// a region is predicted where its probability exceeds the threshold.
    case regions(names: [String])
    /// Exclusive classes, background first: softmax outputs, the class map is the argmax.
    case classes(names: [String])

    /// The names of the scored channels (classes without the background).
    public var scoredNames: [String] {
        switch self {
        case .regions(let names): names
        case .classes(let names): Array(names.dropFirst())
        }
    }

    /// The channels the network must output.
    public var outputChannels: Int {
        switch self {
        case .regions(let names), .classes(let names): names.count
        }
    }
}

/// A segmentation source as one dataset: its samples read (and augmented) by closures, so that
/// LGG slices, BraTS cases and nnU-Net cases train through the same loader and loop.
public struct SegmentationCases: Dataset {
    /// The number of samples.
    public let count: Int
    /// Each sample's display name (its slice, case or patient).
    public let names: [String]
    /// Each sample's group (patient or case), for per-volume scoring of 2-D slices.
    public let groups: [String]
    private let read: @Sendable (Int, Generator?) throws -> SegmentationSample

    /// Samples `0..<names.count`, read by `read` (given a generator when the loader draws randomness).
    public init(names: [String], groups: [String], read: @escaping @Sendable (Int, Generator?) throws -> SegmentationSample) {
        precondition(names.count == groups.count, "one group per sample")
        count = names.count
        self.names = names
        self.groups = groups
        self.read = read
    }

    public func sample(at index: Int) throws -> SegmentationSample { try read(index, nil) }

    public func sample(at index: Int, generator: Generator) throws -> SegmentationSample { try read(index, generator) }
}
