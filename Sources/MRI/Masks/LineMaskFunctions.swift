/// Python's `round()` for floats: to nearest, ties to even.
func pythonRound(_ value: Double) -> Int { Int(value.rounded(.toNearestOrEven)) }

/// What distinguishes fastMRI's five line masks: how the lines outside the centre are chosen.
private protocol LineSampling {
    /// The centre size and the acceleration passed to `accelerationLines` (fastMRI's `sample_mask`).
    func plan(columns: Int, centerFraction: Double, acceleration: Int) -> (lowFrequencies: Int, acceleration: Int)
    /// fastMRI's `calculate_acceleration_mask`: `columns` flags.
    func accelerationLines(
        columns: Int, acceleration: Int, offset: Int?, lowFrequencies: Int, random: inout NumpyRandomState
    ) throws -> [Bool]
}

extension LineSampling {
    func plan(columns: Int, centerFraction: Double, acceleration: Int) -> (lowFrequencies: Int, acceleration: Int) {
        (pythonRound(Double(columns) * centerFraction), acceleration)
    }
}

/// The state every fastMRI line mask shares (fastMRI's `MaskFunc` base class).
private struct LineMaskCore {
    let centerFractions: [Double]
    let accelerations: [Int]
    let allowAnyCombination: Bool
    var random: NumpyRandomState

    init(centerFractions: [Double], accelerations: [Int], allowAnyCombination: Bool, seed: UInt32) throws {
        try MRIError.require(
            !centerFractions.isEmpty && !accelerations.isEmpty, "centerFractions/accelerations", "must not be empty")
        try MRIError.require(
            allowAnyCombination || centerFractions.count == accelerations.count, "centerFractions/accelerations",
            "need the same count unless allowAnyCombination (\(centerFractions.count) vs \(accelerations.count))")
        try MRIError.require(accelerations.allSatisfy { $0 > 0 }, "accelerations", "must be positive")
        try MRIError.require(
            centerFractions.allSatisfy { $0 >= 0 && $0 <= 1 }, "centerFractions", "must lie in [0, 1]")
        self.centerFractions = centerFractions
        self.accelerations = accelerations
        self.allowAnyCombination = allowAnyCombination
        random = NumpyRandomState(seed: seed)
    }

    mutating func sample(
        _ shape: [Int], offset: Int?, seed: MaskSeed?, sampling: some LineSampling
    ) throws -> SampledMask {
        try MRIError.require(shape.count >= 2, "shape", "needs at least 2 dimensions, got \(shape)")
        let columns = shape[shape.count - 1]
        try MRIError.require(columns > 0, "shape", "the last dimension must be positive, got \(shape)")
        // fastMRI's temp_seed: a seeded call leaves the function's own stream where it was.
        var stream = try seed?.randomState ?? random
        let (fraction, acceleration) = try chooseAcceleration(&stream)
        let plan = sampling.plan(columns: columns, centerFraction: fraction, acceleration: acceleration)
        let outer = try sampling.accelerationLines(
            columns: columns, acceleration: plan.acceleration, offset: offset,
            lowFrequencies: plan.lowFrequencies, random: &stream)
        if seed == nil { random = stream }
        var lines = outer
        let start = (columns - plan.lowFrequencies + 1) / 2
        for column in start..<(start + plan.lowFrequencies) { lines[column] = true }
        let values = lines.map { $0 ? Float(1) : 0 }
        let maskShape = [Int](repeating: 1, count: shape.count - 1) + [columns]
        return SampledMask(mask: Tensor(values, shape: maskShape), numLowFrequencies: plan.lowFrequencies)
    }

    private func chooseAcceleration(_ stream: inout NumpyRandomState) throws -> (Double, Int) {
        if allowAnyCombination {
            let fraction = centerFractions[try stream.randint(0, centerFractions.count)]
            return (fraction, accelerations[try stream.randint(0, accelerations.count)])
        }
        let choice = try stream.randint(0, centerFractions.count)
        return (centerFractions[choice], accelerations[choice])
    }
}

/// Declares one fastMRI mask type on top of `LineMaskCore`.
private protocol LineMaskFunction: MaskFunction, LineSampling {
    var core: LineMaskCore { get set }
}

extension LineMaskFunction {
    /// A fastMRI mask for k-space of `shape`; see `MaskFunction.callAsFunction(_:offset:seed:)`.
    public mutating func callAsFunction(_ shape: [Int], offset: Int?, seed: MaskSeed?) throws -> SampledMask {
        let sampling = self
        return try core.sample(shape, offset: offset, seed: seed, sampling: sampling)
    }
}

/// Flags at `offset, offset + step, …` below `columns`.
private func everyNth(columns: Int, offset: Int, step: Int) -> [Bool] {
    (0..<columns).map { $0 >= offset && ($0 - offset) % step == 0 }
}

/// fastMRI's `RandomMaskFunc`: a fully sampled centre plus lines kept independently with the
/// probability that makes the expected count `columns / acceleration`.
public struct RandomMaskFunc: LineMaskFunction {
    fileprivate var core: LineMaskCore

    /// - Parameters:
    ///   - centerFractions: fractions of columns kept in the centre; one is chosen per call.
    ///   - accelerations: undersampling factors paired with `centerFractions`.
    ///   - allowAnyCombination: choose fraction and acceleration independently.
    ///   - seed: the seed of the function's own stream (fastMRI's `seed`; `None` there is random).
    /// - Throws: `MRIError` for empty or unpaired lists, non-positive accelerations or fractions outside `[0, 1]`.
    public init(
        centerFractions: [Double], accelerations: [Int], allowAnyCombination: Bool = false, seed: UInt32 = 0
    ) throws {
        core = try LineMaskCore(
            centerFractions: centerFractions, accelerations: accelerations,
            allowAnyCombination: allowAnyCombination, seed: seed)
    }

    fileprivate func accelerationLines(
        columns: Int, acceleration: Int, offset: Int?, lowFrequencies: Int, random: inout NumpyRandomState
    ) throws -> [Bool] {
        let probability =
            (Double(columns) / Double(acceleration) - Double(lowFrequencies))
            / Double(columns - lowFrequencies)
        return random.randomSample(count: columns).map { $0 < probability }
    }
}

/// fastMRI's `EquiSpacedMaskFunc`: a fully sampled centre plus every `acceleration`-th line.
public struct EquiSpacedMaskFunc: LineMaskFunction {
    fileprivate var core: LineMaskCore

    /// Parameters as `RandomMaskFunc.init`.
    public init(
        centerFractions: [Double], accelerations: [Int], allowAnyCombination: Bool = false, seed: UInt32 = 0
    ) throws {
        core = try LineMaskCore(
            centerFractions: centerFractions, accelerations: accelerations,
            allowAnyCombination: allowAnyCombination, seed: seed)
    }

    fileprivate func accelerationLines(
        columns: Int, acceleration: Int, offset: Int?, lowFrequencies: Int, random: inout NumpyRandomState
    ) throws -> [Bool] {
        let start = try offset ?? random.randint(0, acceleration)
        return everyNth(columns: columns, offset: start, step: acceleration)
    }
}

/// fastMRI's `EquispacedMaskFractionFunc`: lines at a fractional spacing, rounded, chosen so that
/// the total (with the centre) is `columns / acceleration`.
public struct EquispacedMaskFractionFunc: LineMaskFunction {
    fileprivate var core: LineMaskCore

    /// Parameters as `RandomMaskFunc.init`.
    public init(
        centerFractions: [Double], accelerations: [Int], allowAnyCombination: Bool = false, seed: UInt32 = 0
    ) throws {
        core = try LineMaskCore(
            centerFractions: centerFractions, accelerations: accelerations,
            allowAnyCombination: allowAnyCombination, seed: seed)
    }

    fileprivate func accelerationLines(
        columns: Int, acceleration: Int, offset: Int?, lowFrequencies: Int, random: inout NumpyRandomState
    ) throws -> [Bool] {
        let adjusted =
            Double(acceleration * (lowFrequencies - columns))
            / Double(lowFrequencies * acceleration - columns)
        try MRIError.require(
            adjusted.isFinite && adjusted > 0, "accelerations",
            "acceleration \(acceleration) with \(lowFrequencies) centre lines leaves no lines to space")
        let start = try offset ?? random.randint(0, pythonRound(adjusted))
        // numpy.arange with a float step: [start, start + step, start + i·(second − first) …],
        // length ceil((stop − start) / step).
        let stop = Double(columns - 1)
        let count = max(Int(((stop - Double(start)) / adjusted).rounded(.up)), 0)
        let delta = (Double(start) + adjusted) - Double(start)
        var lines = [Bool](repeating: false, count: columns)
        for i in 0..<count {
            let position = i < 2 ? Double(start) + Double(i) * adjusted : Double(start) + Double(i) * delta
            lines[Int(position.rounded(.toNearestOrEven))] = true
        }
        return lines
    }
}

/// fastMRI's `MagicMaskFunc` (Defazio 2019): equispaced lines offset differently on the two
/// halves of k-space, exploiting conjugate symmetry.
public struct MagicMaskFunc: LineMaskFunction {
    fileprivate var core: LineMaskCore

    /// Parameters as `RandomMaskFunc.init`.
    public init(
        centerFractions: [Double], accelerations: [Int], allowAnyCombination: Bool = false, seed: UInt32 = 0
    ) throws {
        core = try LineMaskCore(
            centerFractions: centerFractions, accelerations: accelerations,
            allowAnyCombination: allowAnyCombination, seed: seed)
    }

    fileprivate func accelerationLines(
        columns: Int, acceleration: Int, offset: Int?, lowFrequencies: Int, random: inout NumpyRandomState
    ) throws -> [Bool] {
        try magicLines(columns: columns, acceleration: acceleration, offset: offset, random: &random)
    }
}

/// fastMRI's `MagicMaskFractionFunc`: the magic mask with its spacing adjusted to reach the
/// requested acceleration including the centre.
public struct MagicMaskFractionFunc: LineMaskFunction {
    fileprivate var core: LineMaskCore

    /// Parameters as `RandomMaskFunc.init`.
    public init(
        centerFractions: [Double], accelerations: [Int], allowAnyCombination: Bool = false, seed: UInt32 = 0
    ) throws {
        core = try LineMaskCore(
            centerFractions: centerFractions, accelerations: accelerations,
            allowAnyCombination: allowAnyCombination, seed: seed)
    }

    fileprivate func plan(columns: Int, centerFraction: Double, acceleration: Int) -> (
        lowFrequencies: Int, acceleration: Int
    ) {
        let target = pythonRound(Double(columns) / Double(acceleration))
        let low = max(min(pythonRound(Double(columns) * centerFraction), target), 1)
        let remaining = target - low
        return (low, remaining > 0 ? pythonRound(Double(columns) / Double(remaining)) : 0)
    }

    fileprivate func accelerationLines(
        columns: Int, acceleration: Int, offset: Int?, lowFrequencies: Int, random: inout NumpyRandomState
    ) throws -> [Bool] {
        try magicLines(columns: columns, acceleration: acceleration, offset: offset, random: &random)
    }
}

/// fastMRI's `MagicMaskFunc.calculate_acceleration_mask`.
private func magicLines(
    columns: Int, acceleration: Int, offset: Int?, random: inout NumpyRandomState
) throws -> [Bool] {
    try MRIError.require(acceleration > 0, "accelerations", "the centre already reaches the requested acceleration")
    let start = try offset ?? random.randint(0, acceleration)
    let (positiveStart, negativeStart) = start % 2 == 0 ? (start + 1, start + 2) : (start + 2, start - 1)
    let positiveCount = (columns + 1) / 2
    let positive = everyNth(columns: positiveCount, offset: positiveStart, step: acceleration)
    let negative = everyNth(columns: columns - positiveCount, offset: negativeStart, step: acceleration)
    let unshifted = positive + negative.reversed()
    // numpy.fft.fftshift of a 1D array: roll right by columns / 2.
    let shift = columns / 2
    return (0..<columns).map { unshifted[($0 - shift + columns) % columns] }
}
