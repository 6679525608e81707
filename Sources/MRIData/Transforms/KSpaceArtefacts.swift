/// MRI artefacts made in k-space, with TorchIO's semantics: each channel of a real image
/// `[C, spatial…]` goes to k-space by an unnormalised FFT over all its spatial axes, centred
/// (`fftshift(fftn(x))`), is corrupted, and comes back as the real part of the inverse, float32.
public enum KSpaceArtefact {
    /// Spikes (herringbone artefact; TorchIO's `Spike`): at each position `p` (fractions in `[0, 1)`
    /// of each spatial size), k-space sample `floor(p · size)` gains `intensity` times the
    /// spectrum's current largest real part (TorchIO adds NumPy's complex maximum, which orders by real
    /// part, and keeps only its real part when adding).
    ///
    /// - Parameters:
    ///   - image: real `[C, spatial…]`.
    ///   - positions: one array of `spatial` fractions per spike.
    ///   - intensity: the spike's size relative to the maximum.
    public static func spike(_ image: Tensor, positions: [[Double]], intensity: Double) -> Tensor {
        guard intensity != 0, !positions.isEmpty else { return image }
        return perChannel(image) { spectrum in
            let sizes = Array(spectrum.shape)
            for position in positions {
                let index = zip(position, sizes).map { Int(($0 * Double($1)).rounded(.down)) }
                let at = index.map(\.tensorIndex)
                // TorchIO takes the maximum anew for each spike, after the earlier ones.
                spectrum[at] = spectrum[at] + spectrum.real.max().item(Double.self) * intensity
            }
            return spectrum
        }
    }

    /// Ghosts (TorchIO's `Ghosting`): every `ghosts`-th k-space plane along spatial `axis` is scaled
    /// by `1 − intensity`; then the centre is restored, the middle plane only when `restore` is
    /// `nil`, else `round(restore · n)` planes (its even part) around the middle.
    ///
    /// - Parameters:
    ///   - image: real `[C, spatial…]`.
    ///   - ghosts: the spacing of the scaled planes (TorchIO's `num_ghosts`).
    ///   - axis: a spatial axis (0 is the first spatial dimension).
    public static func ghosting(_ image: Tensor, ghosts: Int, axis: Int, intensity: Double, restore: Double? = nil)
        -> Tensor
    {
        guard ghosts > 0, intensity != 0 else { return image }
        return perChannel(image) { spectrum in
            let n = spectrum.shape[axis]
            let middle = n / 2
            let half = restore.map { Int(($0 * Double(n)).rounded(.toNearestOrEven)) / 2 }
            let kept = half.map { (middle - $0)..<(middle + $0) } ?? middle..<(middle + 1)
            var centreIndex = Array(repeating: TensorIndex.all, count: spectrum.rank)
            centreIndex[axis] = .range(kept.lowerBound, kept.upperBound)
            let centre = spectrum[centreIndex].clone()
            var planes = centreIndex
            planes[axis] = .range(nil, nil, step: ghosts)
            spectrum[planes] = spectrum[planes] * (1 - intensity)
            spectrum[centreIndex] = centre
            return spectrum
        }
    }

    /// `corrupt` applied to the centred spectrum of each channel.
    private static func perChannel(_ image: Tensor, _ corrupt: (Tensor) -> Tensor) -> Tensor {
        self.image(fromSpectrum: Tensor.stack(spectrum(image).unbind(dim: 0).map { corrupt($0.clone()) }))
    }

    /// The centred, unnormalised spectrum of each channel of `image` `[C, spatial…]`: `fftshift(fftn(x))`
    /// over the spatial axes, complex64.
    static func spectrum(_ image: Tensor) -> Tensor {
        let dims = Array(1..<image.rank)
        return FFT.fftshift(FFT.fftn(image.to(dtype: .complex64), dim: dims), dim: dims)
    }

    /// The real part of the inverse of `spectrum(_:)`, float32.
    static func image(fromSpectrum spectrum: Tensor) -> Tensor {
        let dims = Array(1..<spectrum.rank)
        return FFT.ifftn(FFT.ifftshift(spectrum, dim: dims), dim: dims).real.to(dtype: .float32)
    }
}

/// Random spikes (TorchIO's `RandomSpike`): a number of spikes drawn from `spikes`, each at a
/// uniform random position, all of an intensity drawn from `intensity`.
public struct RandomSpike: RandomTransform {
    /// The range of the number of spikes.
    public let spikes: ClosedRange<Int>
    /// The range of the spike intensity.
    public let intensity: ClosedRange<Double>

    /// Spikes as TorchIO's defaults: one spike of intensity 1 to 3.
    public init(spikes: ClosedRange<Int> = 1...1, intensity: ClosedRange<Double> = 1...3) {
        self.spikes = spikes
        self.intensity = intensity
    }

    public func callAsFunction(_ tensors: [Tensor], generator: Generator) -> [Tensor] {
        let count = generator.integer(spikes)
        let strength = generator.uniform(intensity)
        return tensors.map { image in
            let positions = (0..<count).map { _ in (1..<image.rank).map { _ in generator.uniform(0...1) } }
            return KSpaceArtefact.spike(image, positions: positions, intensity: strength)
        }
    }
}

/// Random ghosting (TorchIO's `RandomGhosting`): a spacing drawn from `ghosts`, an axis from
/// `axes`, an intensity from `intensity`.
public struct RandomGhosting: RandomTransform {
    /// The range of the plane spacing.
    public let ghosts: ClosedRange<Int>
    /// The spatial axes one is chosen from.
    public let axes: [Int]
    /// The range of the intensity.
    public let intensity: ClosedRange<Double>
    /// The restored fraction of the centre (`nil`: the middle plane).
    public let restore: Double?

    /// Ghosting with TorchIO's defaults (4 to 10 ghosts, intensity 0.5 to 1).
    public init(
        ghosts: ClosedRange<Int> = 4...10, axes: [Int] = [0, 1], intensity: ClosedRange<Double> = 0.5...1,
        restore: Double? = nil
    ) {
        self.ghosts = ghosts
        self.axes = axes
        self.intensity = intensity
        self.restore = restore
    }

    public func callAsFunction(_ tensors: [Tensor], generator: Generator) -> [Tensor] {
        let spacing = generator.integer(ghosts)
        let axis = axes[generator.integer(0...(axes.count - 1))]
        let strength = generator.uniform(intensity)
        return tensors.map {
            KSpaceArtefact.ghosting($0, ghosts: spacing, axis: axis, intensity: strength, restore: restore)
        }
    }
}
