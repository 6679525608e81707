/// A trained segmentation network applied to whole images and volumes: sliding windows with
/// Gaussian blending where a window is given (3-D), padding to the network's size divisor
/// otherwise, optional flip self-ensemble, then the probabilities turned into masks.
public struct SegmentationPredictor {
    /// The network (in evaluation mode when predicting).
    public let network: SegmentationNetwork
    /// What the output channels mean.
    public let kind: SegmentationTargetKind
    /// Every spatial size of a network input must be a multiple of this (whole-image prediction pads to it).
    public let sizeDivisor: Int
    /// The sliding window; `nil` predicts whole images (padded).
    public var window: SlidingWindowInference?
    /// A region is predicted where its probability is above this.
    public var threshold: Double
    /// Average the probabilities over every combination of flipped spatial axes (test-time augmentation).
    public var flipEnsemble: Bool

    /// A predictor; see the properties.
    public init(
        network: SegmentationNetwork, kind: SegmentationTargetKind, sizeDivisor: Int,
        window: SlidingWindowInference? = nil, threshold: Double = 0.5, flipEnsemble: Bool = false
    ) {
        self.network = network
        self.kind = kind
        self.sizeDivisor = sizeDivisor
        self.window = window
        self.threshold = threshold
        self.flipEnsemble = flipEnsemble
    }

    /// The probabilities `[N, K, spatial...]` of images `[N, C, spatial...]` (no gradients recorded).
    public func probabilities(_ images: Tensor) -> Tensor {
        withoutGradient {
            let spatial = Array(2..<images.rank)
            let flips: [[Int]] = flipEnsemble
                ? (0..<(1 << spatial.count)).map { mask in spatial.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element) }
                : [[]]
            let outputs = flips.map { axes -> Tensor in
                let input = axes.isEmpty ? images : images.flip(dims: axes)
                let output = activated(scores(input))
                return axes.isEmpty ? output : output.flip(dims: axes)
            }
            let sum = outputs.dropFirst().reduce(outputs[0], +)
            return flips.count == 1 ? sum : sum / Double(flips.count)
        }
    }

    /// Masks laid out as the targets are: regions `[N, K, spatial...]` (float32, 1 above the
    /// threshold) or the class map `[N, 1, spatial...]` (int64, the most probable class).
    public func masks(fromProbabilities probabilities: Tensor) -> Tensor {
        switch kind {
        case .regions: (probabilities .> threshold).to(dtype: .float32)
        case .classes: probabilities.argmax(dim: 1, keepdim: true)
        }
    }

    /// The masks `[K, H, W, slices]` of a 2-D network for a stack of slices `[C, H, W, slices]`,
    /// predicted as one batch.
    public func masks(ofSlices volume: Tensor) -> Tensor {
        masks(fromProbabilities: probabilities(volume.permute([3, 0, 1, 2]))).permute([1, 2, 3, 0])
    }

    /// The network's scores, by sliding window or on the whole input padded to the size divisor.
    private func scores(_ input: Tensor) -> Tensor {
        if let window { return window(input) { network($0) } }
        let size = Array(input.shape.dropFirst(2))
        let padded = size.map { ($0 + sizeDivisor - 1) / sizeDivisor * sizeDivisor }
        guard padded != size else { return network(input) }
        // (before, after) pairs from the last dimension back.
        let pairs = zip(size, padded).reversed().flatMap { [0, $1 - $0] }
        let output = network(input.pad(pairs))
        return size.enumerated().reduce(output) { $0.narrow(dim: $1.offset + 2, start: 0, length: $1.element) }
    }

    private func activated(_ scores: Tensor) -> Tensor {
        if network.outputsProbabilities { return scores }
        switch kind {
        case .regions: return scores.sigmoid()
        case .classes: return Functional.softmax(scores, dim: 1)
        }
    }
}

extension SegmentationTargetKind {
    /// One-hot masks `[N, K', spatial...]` of masks or targets laid out as this kind's targets,
    /// for the overlap metrics (classes keep the background channel first).
    public func oneHotMasks(_ masks: Tensor) -> Tensor {
        switch self {
        case .regions: masks
        case .classes(let names): oneHot(masks, classes: names.count, dtype: .float32)
        }
    }

    /// One label map `[N, spatial...]` (int64) of masks laid out as this kind's targets, for
    /// overlays and label files: the class map itself; for regions, region `k` is label `k + 1`
    /// (later regions drawn over earlier ones), except BraTS's TC/WT/ET, which go back to BraTS's
    /// labels (1 necrotic core, 2 oedema, 4 enhancing tumour).
    public func labelMap(_ masks: Tensor) -> Tensor {
        switch self {
        case .classes: return masks.squeeze(dim: 1).to(dtype: .int64)
        case .regions(let names):
            let present = masks .> 0.5
            func region(_ index: Int) -> Tensor { present[TensorIndex.all, index] }
            if names == ["TC", "WT", "ET"] {
                let labels = region(1).to(dtype: .int64) * 2
                let withCore = Tensor.where(region(0), Tensor.ones(like: labels), labels)
                return Tensor.where(region(2), Tensor.full(like: labels, 4), withCore)
            }
            var labels = Tensor.zeros(like: region(0), dtype: .int64)
            for index in 0..<names.count {
                labels = Tensor.where(region(index), Tensor.full(like: labels, index + 1), labels)
            }
            return labels
        }
    }
}
