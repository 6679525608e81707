import CTorch

/// A random-number generator (libtorch's CPU Philox/MT generator).
///
/// Pass one to the random creation functions for a stream independent of the global
/// one; the same seed gives bit-identical results on the CPU.
public final class Generator: @unchecked Sendable {
    let handle: mt_generator

    private init(handle: mt_generator) { self.handle = handle }

    /// A new CPU generator seeded with `seed`.
    public convenience init(seed: UInt64) {
        var handle: mt_generator?
        guard mt_generator_new(seed, &handle) == 0, let handle else {
            fatalError(mt_last_error().map { String(cString: $0) } ?? "cannot create a generator")
        }
        self.init(handle: handle)
    }

    deinit { mt_generator_free(handle) }

    /// The process-wide default CPU generator (the one `manualSeed` seeds).
    public static var cpuDefault: Generator {
        var handle: mt_generator?
        guard mt_generator_default(&handle) == 0, let handle else {
            fatalError(mt_last_error().map { String(cString: $0) } ?? "no default generator")
        }
        return Generator(handle: handle)
    }

    /// The seed the generator was last seeded with; setting it reseeds.
    public var seed: UInt64 {
        get {
            var value: UInt64 = 0
            check(mt_generator_seed(handle, &value))
            return value
        }
        set { check(mt_generator_set_seed(handle, newValue)) }
    }

    /// The generator's whole state, as a `uint8` tensor; assigning restores it.
    public var state: Tensor {
        get {
            var state: mt_tensor?
            check(mt_generator_get_state(handle, &state))
            return Tensor.wrapping(state)
        }
        set { check(mt_generator_set_state(handle, newValue.handle)) }
    }
}

/// Seeds the global generator (`torch.manual_seed`).
public func manualSeed(_ seed: UInt64) {
    mt_manual_seed(seed)
}
