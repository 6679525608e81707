/// The seed of the generator a `DataLoader` gives sample number `position` of `epoch`.
///
/// Derived only from the base seed, the epoch and the position in the epoch's order (never from the
/// worker or the time), so augmentation is the same whatever the number of workers, and differs
/// between epochs and between repeated draws of one index. The three numbers go through SplitMix64
/// (Steele et al., 2014), whose output bits are all well mixed: libtorch's CPU generator keeps only
/// the low 32 bits of a seed.
///
/// - Returns: a 64-bit seed for `Generator(seed:)`.
public func sampleSeed(base: UInt64, epoch: Int, position: Int) -> UInt64 {
    var state = base
    for word in [UInt64(truncatingIfNeeded: epoch), UInt64(truncatingIfNeeded: position)] {
        state = splitMix64(state ^ splitMix64(word))
    }
    return state
}

/// One SplitMix64 output for `state` (its increment, then the finaliser).
func splitMix64(_ state: UInt64) -> UInt64 {
    var z = state &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
