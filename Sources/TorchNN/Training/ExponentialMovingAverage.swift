/// An exponential moving average of parameters, for evaluating with smoothed weights
/// (timm's `ModelEmaV2`; `torch.optim.swa_utils.AveragedModel` with `get_ema_multi_avg_fn`).
///
/// Starts as a copy of the parameters; each `update(from:)` moves every average towards the
/// current value, `average ← decay·average + (1 − decay)·parameter`, with libtorch's
/// `_foreach_lerp_` kernel.
/// ```swift
/// let ema = ExponentialMovingAverage(parameters: model.namedParameters(), decay: 0.999)
/// // after each optimizer step:
/// ema.update(from: model.namedParameters())
/// // to evaluate with the averages:
/// ema.copy(to: model.namedParameters())
/// ```
public final class ExponentialMovingAverage {
    /// The weight of the old average in each update.
    public var decay: Double
    /// The averages, named like the parameters they follow.
    public private(set) var averages: StateDict

    /// Starts averaging `parameters` (copied, detached) with `decay`.
    public init(parameters: [(String, Tensor)], decay: Double = 0.9999) {
        precondition(decay >= 0 && decay <= 1, "decay must be in [0, 1]")
        self.decay = decay
        self.averages = StateDict(withoutGradient { parameters.map { ($0.0, $0.1.detach().clone()) } })
    }

    /// Starts averaging unnamed parameters, named "0", "1", ... .
    public convenience init(parameters: [Tensor], decay: Double = 0.9999) {
        self.init(parameters: parameters.enumerated().map { (String($0.offset), $0.element) }, decay: decay)
    }

    /// Moves each average towards the parameter of the same name.
    public func update(from parameters: [(String, Tensor)]) {
        let (averageTensors, current) = matchedOrTrap(parameters)
        withoutGradient { Foreach.lerp_(averageTensors, current, weight: 1 - decay) }
    }

    /// Moves each average towards the unnamed parameter at the same index.
    public func update(from parameters: [Tensor]) {
        update(from: parameters.enumerated().map { (String($0.offset), $0.element) })
    }

    /// Writes the averages into the parameters (in place), e.g. before evaluation.
    public func copy(to parameters: [(String, Tensor)]) {
        let (averageTensors, current) = matchedOrTrap(parameters)
        withoutGradient { Foreach.copy_(current, averageTensors) }
    }

    /// Restarts the averages from the parameters' current values.
    public func copy(from parameters: [(String, Tensor)]) {
        let (averageTensors, current) = matchedOrTrap(parameters)
        withoutGradient { Foreach.copy_(averageTensors, current) }
    }

    /// The averages, for saving (the same tensors as `averages`).
    public func stateDict() -> StateDict { averages }

    /// Restores saved averages (copied into the current ones); throws `TrainingStateError` naming a
    /// missing, unexpected or mis-shaped entry.
    public func loadStateDict(_ stateDict: StateDict) throws {
        let (averageTensors, saved) = try matched(stateDict.map { ($0.name, $0.tensor) })
        guard stateDict.count == averages.count else {
            let extra = Set(stateDict.keys).subtracting(averages.keys).sorted()
            throw TrainingStateError("unexpected EMA entries: \(extra)")
        }
        withoutGradient { Foreach.copy_(averageTensors, saved) }
    }

    /// `matched`, trapping on a mismatch: code, not outside input, passes the parameters.
    private func matchedOrTrap(_ tensors: [(String, Tensor)]) -> ([Tensor], [Tensor]) {
        do { return try matched(tensors) } catch { preconditionFailure("\(error)") }
    }

    /// The averages and the given tensors paired by name, in the averages' order.
    private func matched(_ tensors: [(String, Tensor)]) throws -> ([Tensor], [Tensor]) {
        let byName = Dictionary(tensors, uniquingKeysWith: { first, _ in first })
        var pairs: ([Tensor], [Tensor]) = ([], [])
        for (name, average) in averages {
            guard let tensor = byName[name] else { throw TrainingStateError("\(name): no tensor of this name") }
            guard tensor.shape == average.shape else {
                throw TrainingStateError("\(name): shape \(tensor.shape), expected \(average.shape)")
            }
            pairs.0.append(average)
            pairs.1.append(tensor)
        }
        return pairs
    }
}
