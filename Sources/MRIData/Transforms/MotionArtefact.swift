/// A rigid pose of the imaged object: a rotation about the image centre, then a shift.
public struct RigidPose: Sendable, Equatable {
    /// Radians: one angle for images; for volumes, about z, y and x in turn (see `RandomAffine`).
    public var angles: [Double]
    /// The shift in pixels along each spatial dimension, in the tensor's order.
    public var shift: [Double]

    /// The pose rotated by `angles` and shifted by `shift`.
    public init(angles: [Double], shift: [Double]) {
        self.angles = angles
        self.shift = shift
    }

    /// `image` `[C, spatial…]` with its object in this pose: bilinear, the image's minimum outside.
    func moved(_ image: Tensor) -> Tensor {
        let low = image.min()
        let grid = affineSamplingGrid(shape: image.shape, angles: angles, zoom: 1, shift: shift.reversed())
        return resample(image - low, grid: grid) + low
    }
}

extension KSpaceArtefact {
    /// Motion during the acquisition (TorchIO's `Motion`, after Shaw et al., MIDL 2019): the object
    /// sits in `poses[i]` from time `times[i]` on (and unmoved before `times[0]`); k-space is
    /// filled along spatial `axis` in time order, each segment from the spectrum of the object in
    /// the pose of its time. As TorchIO, the pose acquired at the centre of k-space is swapped with
    /// the unmoved one, so the image keeps its place and only ghosts and blur appear.
    ///
    /// Moved images are resampled bilinearly, reading the image's minimum outside it (TorchIO
    /// resamples with SimpleITK, so values differ by the interpolation). Segment `i` covers lines
    /// `⌊n·times[i−1]⌋ ..< ⌊n·times[i]⌋` of the `n` along `axis` (TorchIO counts `n` along its third
    /// axis whatever `axis` is; here it is `axis`'s own size).
    ///
    /// - Parameters:
    ///   - image: real `[C, spatial…]`.
    ///   - poses: the successive poses.
    ///   - times: when each pose starts, increasing, in `(0, 1)`.
    ///   - axis: the spatial axis along which k-space is filled over time.
    /// - Returns: float32, the shape of `image`.
    public static func motion(_ image: Tensor, poses: [RigidPose], times: [Double], axis: Int) -> Tensor {
        precondition(poses.count == times.count, "motion: one time per pose")
        var spectra = ([image] + poses.map { $0.moved(image) }).map(spectrum)
        spectra.swapAt(0, times.firstIndex { $0 > 0.5 } ?? spectra.count - 1)
        let lines = image.shape[axis + 1]
        let ends = times.map { Int(Double(lines) * $0) } + [lines]
        let result = spectra[0].clone()
        var start = 0
        for (spectrum, end) in zip(spectra, ends) where end > start {
            var segment = Array(repeating: TensorIndex.all, count: image.rank)
            segment[axis + 1] = .range(start, end)
            result[segment] = spectrum[segment]
            start = end
        }
        return self.image(fromSpectrum: result)
    }
}

/// Random motion (TorchIO's `RandomMotion`): `transforms` poses with angles drawn from `rotation`
/// and shifts from `translation` (fractions of each size), starting at times `k / (transforms + 1)`
/// jittered by ±30 % of that step, k-space filled along an axis drawn from `axes`.
public struct RandomMotion: RandomTransform {
    /// The range of every rotation angle (radians).
    public let rotation: ClosedRange<Double>
    /// The range of every shift, as a fraction of the size along it.
    public let translation: ClosedRange<Double>
    /// The number of movements.
    public let transforms: Int
    /// The spatial axes the filling axis is drawn from.
    public let axes: [Int]

    /// TorchIO's defaults in this package's units: ±10° and ±10 % of the size, two movements.
    public init(
        rotation: ClosedRange<Double> = -0.1745...0.1745, translation: ClosedRange<Double> = -0.1...0.1,
        transforms: Int = 2, axes: [Int] = [0, 1]
    ) {
        self.rotation = rotation
        self.translation = translation
        self.transforms = transforms
        self.axes = axes
    }

    public func callAsFunction(_ tensors: [Tensor], generator: Generator) -> [Tensor] {
        guard let first = tensors.first else { return tensors }
        let spatial = Array(first.shape.dropFirst())
        let axis = axes[generator.integer(0...(axes.count - 1))]
        let poses = (0..<transforms).map { _ in
            RigidPose(
                angles: (0..<(spatial.count == 2 ? 1 : 3)).map { _ in generator.uniform(rotation) },
                shift: spatial.map { generator.uniform(translation) * Double($0) })
        }
        let step = 1 / Double(transforms + 1)
        let times = (1...transforms).map { Double($0) * step + generator.uniform(-0.3 * step...0.3 * step) }
        return tensors.map { KSpaceArtefact.motion($0, poses: poses, times: times, axis: axis) }
    }
}
