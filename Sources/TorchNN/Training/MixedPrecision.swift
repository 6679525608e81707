import CTorch

/// Runs `body` under autocast (`torch.autocast(device_type, dtype)`): eligible ops on `device`
/// (matmul, linear, convolutions ...) compute in `dtype`, precision-sensitive ones in float32,
/// following libtorch's autocast op lists. Scopes nest; the previous state is restored on exit,
/// even if `body` throws. The state is per thread.
///
/// On the CPU both `.bfloat16` and `.float16` work in libtorch 2.11 (`.bfloat16` is PyTorch's
/// CPU default and the faster one on most CPUs). Backward passes should run outside the scope
/// (they follow the forward's dtypes anyway). `enabled: false` switches autocast off inside
/// an enclosing autocast scope.
///
/// ```swift
/// let loss = withAutocast(device: .cpu, dtype: .bfloat16) { lossFunction(model(x), y) }
/// ```
public func withAutocast<Result>(
    device: Device = .cpu, dtype: DType = .bfloat16, enabled: Bool = true, _ body: () throws -> Result
) rethrows -> Result {
    precondition(dtype == .bfloat16 || dtype == .float16, "autocast computes in bfloat16 or float16, not \(dtype)")
    let kind = device.kind.rawValue
    var previousEnabled = false
    var previousDType: Int32 = 0
    autocastCheck(mt_autocast_is_enabled(kind, &previousEnabled))
    autocastCheck(mt_autocast_get_dtype(kind, &previousDType))
    autocastCheck(mt_autocast_set_enabled(kind, enabled))
    if enabled { autocastCheck(mt_autocast_set_dtype(kind, dtype.rawValue)) }
    var depth: Int32 = 0
    autocastCheck(mt_autocast_increment_nesting(&depth))
    defer {
        autocastCheck(mt_autocast_decrement_nesting(&depth))
        // Casted weights are cached for the outermost scope only, as in PyTorch.
        if depth == 0 { autocastCheck(mt_autocast_clear_cache()) }
        autocastCheck(mt_autocast_set_enabled(kind, previousEnabled))
        autocastCheck(mt_autocast_set_dtype(kind, previousDType))
    }
    return try body()
}

/// Whether autocast is on for `device` on this thread (`torch.is_autocast_enabled(device_type)`).
public func isAutocastEnabled(device: Device = .cpu) -> Bool {
    var value = false
    autocastCheck(mt_autocast_is_enabled(device.kind.rawValue, &value))
    return value
}

/// The dtype autocast computes in on `device` (`torch.get_autocast_dtype(device_type)`).
public func autocastDType(device: Device = .cpu) -> DType {
    var code: Int32 = 0
    autocastCheck(mt_autocast_get_dtype(device.kind.rawValue, &code))
    guard let dtype = DType(rawValue: code) else {
        preconditionFailure("libtorch reported autocast dtype code \(code)")
    }
    return dtype
}

/// Traps with libtorch's message: autocast calls fail only on a device type libtorch lacks.
private func autocastCheck(_ status: mt_status) {
    guard status != 0 else { return }
    let message = mt_last_error().map { String(cString: $0) } ?? "autocast call failed"
    mt_clear_error()
    preconditionFailure(message)
}

/// Loss scaling for float16 training (`torch.amp.GradScaler`): multiply the loss by a large
/// scale so small gradients survive float16, unscale the gradients before the optimizer step,
/// skip steps whose gradients hold an inf or NaN, and adapt the scale — halve it (`backoffFactor`)
/// after a skipped step, double it (`growthFactor`) after `growthInterval` clean steps in a row.
/// Uses libtorch's `_amp_foreach_non_finite_check_and_unscale_` and `_amp_update_scale_` kernels.
/// With `enabled: false` every method passes through (`scale` returns the loss, `step` steps).
///
/// ```swift
/// let scaler = GradScaler()
/// scaler.scale(loss).backward()
/// scaler.unscale_(optimizer)          // optional: only to clip the true gradients
/// clipGradNorm(parameters, maxNorm: 1)
/// scaler.step(optimizer)
/// scaler.update()
/// ```
public final class GradScaler {
    private enum Stage { case ready, unscaled, stepped }

    /// Whether scaling is on.
    public let enabled: Bool
    /// The scale's first value.
    public let initScale: Double
    /// The factor the scale grows by after `growthInterval` clean steps.
    public let growthFactor: Double
    /// The factor the scale shrinks by after a step with non-finite gradients.
    public let backoffFactor: Double
    /// Clean steps in a row before the scale grows.
    public let growthInterval: Int

    private var scaleTensor: Tensor?
    private var growthTracker: Tensor?
    /// Per optimizer: this iteration's stage and found-inf flags (one 0-d float32 per device).
    private var iterations: [ObjectIdentifier: (stage: Stage, foundInf: [Device: Tensor])] = [:]

    /// A scaler with PyTorch's defaults.
    public init(
        enabled: Bool = true, initScale: Double = 65536, growthFactor: Double = 2, backoffFactor: Double = 0.5,
        growthInterval: Int = 2000
    ) {
        precondition(growthFactor > 1 && backoffFactor < 1 && growthInterval > 0,
                     "need growthFactor > 1, backoffFactor < 1 and growthInterval > 0")
        self.enabled = enabled
        self.initScale = initScale
        self.growthFactor = growthFactor
        self.backoffFactor = backoffFactor
        self.growthInterval = growthInterval
    }

    /// The current scale (1 when disabled; `initScale` before the first `scale(_:)`).
    public var scale: Double {
        guard enabled else { return 1 }
        return scaleTensor.map { $0.to(dtype: .float64).item(Double.self) } ?? initScale
    }

    /// `loss · scale` (the loss itself when disabled).
    public func scale(_ loss: Tensor) -> Tensor {
        guard enabled else { return loss }
        let current = scaleTensor ?? Tensor.full([], initScale, dtype: .float32, device: loss.device)
        if scaleTensor == nil {
            scaleTensor = current
            growthTracker = Tensor.zeros([], dtype: .int32, device: loss.device)
        }
        return loss * current.to(device: loss.device)
    }

    /// Divides `optimizer`'s gradients by the scale in place and records whether any is
    /// inf or NaN. Call at most once per optimizer between `update()`s, before `step`.
    public func unscale_(_ optimizer: any Optimizer) {
        guard enabled else { return }
        let id = ObjectIdentifier(optimizer)
        precondition(iterations[id] == nil, "unscale_() was already called on this optimizer since the last update()")
        guard let scaleTensor else { preconditionFailure("call scale(_:) on the loss before unscale_()") }
        let inverseScale = scaleTensor.to(dtype: .float64).reciprocal().to(dtype: .float32)
        let grads = optimizer.paramGroups.flatMap { $0.parameters.compactMap(\.tensor.grad) }
        var foundInf: [Device: Tensor] = [:]
        for device in Set(grads.map(\.device)) {
            let flag = Tensor.zeros([], dtype: .float32, device: device)
            _ = OptimizerKernels.ampNonFiniteCheckAndUnscale_.call([
                .tensors(grads.filter { $0.device == device }), .tensor(flag), .tensor(inverseScale.to(device: device)),
            ])
            foundInf[device] = flag
        }
        iterations[id] = (.unscaled, foundInf)
    }

    /// Unscales (if not done yet) and steps `optimizer` unless a gradient was inf or NaN;
    /// returns whether it stepped. Disabled: just steps.
    @discardableResult
    public func step(_ optimizer: any Optimizer) -> Bool {
        guard enabled else {
            optimizer.step()
            return true
        }
        let id = ObjectIdentifier(optimizer)
        precondition(iterations[id]?.stage != .stepped,
                     "step() was already called on this optimizer since the last update()")
        if iterations[id] == nil { unscale_(optimizer) }
        let foundInf = iterations[id]?.foundInf ?? [:]
        let clean = foundInf.values.allSatisfy { $0.item(Float.self) == 0 }
        if clean { optimizer.step() }
        iterations[id]?.stage = .stepped
        return clean
    }

    /// Adapts the scale for the next iteration: backs off if any stepped optimizer saw inf/NaN,
    /// otherwise counts a clean step (growing after `growthInterval`). `newScale` sets it instead.
    public func update(newScale: Double? = nil) {
        guard enabled, let scaleTensor, let growthTracker else { return }
        defer { iterations = [:] }
        if let newScale {
            self.scaleTensor = Tensor.full([], newScale, dtype: .float32, device: scaleTensor.device)
            return
        }
        let flags = iterations.values.flatMap { $0.foundInf.values }
        precondition(!flags.isEmpty, "no inf checks were recorded before update(): call step(_:) first")
        let combined = flags.dropFirst().reduce(flags[0].to(device: scaleTensor.device).clone()) {
            $0 + $1.to(device: scaleTensor.device)
        }
        _ = OptimizerKernels.ampUpdateScale_.call([
            .tensor(scaleTensor), .tensor(growthTracker), .tensor(combined), .double(growthFactor),
            .double(backoffFactor), .int(growthInterval),
        ])
    }

    /// `scale` and `_growth_tracker` (PyTorch's names) as 0-d float64 tensors; empty when disabled.
    public func stateDict() -> StateDict {
        guard enabled else { return StateDict() }
        let tracker = growthTracker.map { Double($0.item(Int32.self)) } ?? 0
        return ["scale": scalarTensor(scale), "_growth_tracker": scalarTensor(tracker)]
    }

    /// Restores what `stateDict()` returned (on the CPU; `scale(_:)` moves it to the loss's device).
    public func loadStateDict(_ stateDict: StateDict) throws {
        guard enabled else { return }
        let value = try scalarValue(stateDict.required("scale"), key: "scale")
        let tracker = try countValue(stateDict.required("_growth_tracker"), key: "_growth_tracker")
        scaleTensor = Tensor.full([], value, dtype: .float32)
        growthTracker = Tensor.full([], tracker, dtype: .int32)
        iterations = [:]
    }
}
