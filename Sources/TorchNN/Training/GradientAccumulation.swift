/// Gradient accumulation over `steps` micro-batches: scale each micro-batch's loss by
/// `1/steps`, call `backward()` every time, and step the optimizer only when `accumulate()`
/// says so. With a mean-reduced loss and equal micro-batches the summed gradient equals the
/// gradient of the whole batch.
///
/// ```swift
/// var accumulation = GradientAccumulation(steps: 4)
/// for batch in loader {
///     accumulation.scaled(loss(batch)).backward()
///     if accumulation.accumulate() { optimizer.step(); optimizer.zeroGrad() }
/// }
/// ```
public struct GradientAccumulation: Sendable {
    /// Micro-batches per optimizer step.
    public let steps: Int
    /// Micro-batches accumulated since the last optimizer step.
    public private(set) var pending = 0

    /// Accumulates over `steps` micro-batches (1: step every batch).
    public init(steps: Int) {
        precondition(steps > 0, "steps must be positive")
        self.steps = steps
    }

    /// `loss / steps`, so the accumulated gradient is the mean over the micro-batches.
    public func scaled(_ loss: Tensor) -> Tensor { steps == 1 ? loss : loss / Double(steps) }

    /// Counts one micro-batch; true when `steps` have accumulated (the counter then restarts).
    public mutating func accumulate() -> Bool {
        pending += 1
        guard pending == steps else { return false }
        pending = 0
        return true
    }

    /// Whether micro-batches are accumulated but not yet stepped (e.g. left over at an epoch's end).
    public var hasPending: Bool { pending > 0 }
}
