/// NumPy's legacy random generator (`numpy.random.RandomState`, MT19937), reproduced draw for draw.
///
/// fastMRI seeds its masks through `RandomState`, so reproducing its masks needs the same
/// stream: integer seeds use `init_genrand`, sequences (fastMRI passes `tuple(map(ord, fname))`)
/// use `init_by_array`, and the draws follow NumPy's legacy algorithms (`random_sample`: 53-bit
/// doubles from two 32-bit words; `randint`: masked rejection sampling).
public struct NumpyRandomState: Sendable {
    private static let stateSize = 624
    private static let shiftSize = 397
    private var words: [UInt32]
    private var position: Int

    /// Seeds like `np.random.RandomState(seed)` with an integer seed.
    public init(seed: UInt32) {
        words = [UInt32](repeating: 0, count: Self.stateSize)
        position = Self.stateSize
        seedWords(seed)
    }

    /// Seeds like `np.random.RandomState(key)` with a sequence of integers (`init_by_array`).
    ///
    /// - Throws: `MRIError` if `key` is empty (NumPy rejects it too).
    public init(key: [UInt32]) throws {
        try MRIError.require(!key.isEmpty, "seed", "a seed sequence needs at least one element")
        self.init(seed: 19_650_218)
        let n = Self.stateSize
        var i = 1
        var j = 0
        for _ in 0..<max(n, key.count) {
            let previous = words[i - 1] ^ (words[i - 1] >> 30)
            words[i] = (words[i] ^ (previous &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1
            j += 1
            if i >= n {
                words[0] = words[n - 1]
                i = 1
            }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<(n - 1) {
            let previous = words[i - 1] ^ (words[i - 1] >> 30)
            words[i] = (words[i] ^ (previous &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= n {
                words[0] = words[n - 1]
                i = 1
            }
        }
        // Guarantees a non-zero state, as the reference implementation does.
        words[0] = 0x8000_0000
        position = n
    }

    /// Seeds like fastMRI's `seed=tuple(map(ord, fname))`: the Unicode scalars of `fileName`.
    public init(fileName: String) throws {
        try self.init(key: fileName.unicodeScalars.map { $0.value })
    }

    private mutating func seedWords(_ seed: UInt32) {
        words[0] = seed
        for i in 1..<Self.stateSize {
            words[i] = 1_812_433_253 &* (words[i - 1] ^ (words[i - 1] >> 30)) &+ UInt32(i)
        }
        position = Self.stateSize
    }

    private mutating func regenerate() {
        let n = Self.stateSize
        let m = Self.shiftSize
        for i in 0..<n {
            let y = (words[i] & 0x8000_0000) | (words[(i + 1) % n] & 0x7fff_ffff)
            var next = words[(i + m) % n] ^ (y >> 1)
            if y & 1 != 0 { next ^= 0x9908_b0df }
            words[i] = next
        }
        position = 0
    }

    /// The next raw 32-bit output (`RandomState.randint(0, 2**32, dtype=np.uint32)` gives the same words).
    public mutating func nextUInt32() -> UInt32 {
        if position >= Self.stateSize { regenerate() }
        var y = words[position]
        position += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// A double uniform in `[0, 1)` with 53 random bits (`random_sample()`, `uniform()`, `rand()`).
    public mutating func randomSample() -> Double {
        let high = Double(nextUInt32() >> 5)
        let low = Double(nextUInt32() >> 6)
        return (high * 67_108_864.0 + low) / 9_007_199_254_740_992.0
    }

    /// `count` doubles from `random_sample(size=count)`.
    public mutating func randomSample(count: Int) -> [Double] {
        (0..<count).map { _ in randomSample() }
    }

    /// An integer uniform in `low ..< high` (`randint(low, high)`, default int64 dtype).
    ///
    /// Like NumPy, an interval holding one value consumes no draw.
    /// - Throws: `MRIError` if `low >= high`.
    public mutating func randint(_ low: Int, _ high: Int) throws -> Int {
        try MRIError.require(low < high, "randint bounds", "low (\(low)) must be below high (\(high))")
        let range = UInt64(high - 1 - low)
        if range == 0 { return low }
        if range <= UInt64(UInt32.max) {
            let range32 = UInt32(range)
            if range32 == UInt32.max { return low + Int(nextUInt32()) }
            let mask = Self.bitMask(covering: UInt64(range32))
            while true {
                let value = UInt64(nextUInt32()) & mask
                if value <= range { return low + Int(value) }
            }
        }
        let mask = Self.bitMask(covering: range)
        while true {
            let value = ((UInt64(nextUInt32()) << 32) | UInt64(nextUInt32())) & mask
            if value <= range { return low + Int(value) }
        }
    }

    /// The smallest all-ones bit pattern at least `value`.
    private static func bitMask(covering value: UInt64) -> UInt64 {
        var mask = value
        for shift in [1, 2, 4, 8, 16, 32] { mask |= mask >> UInt64(shift) }
        return mask
    }

    /// `count` distinct indices in `0 ..< probabilities.count` drawn without replacement with
    /// the given probabilities (`choice(n, count, replace=False, p=probabilities)`).
    ///
    /// Follows NumPy's legacy loop: draw the missing number of uniforms, invert the
    /// renormalised CDF (zeroing already chosen entries), keep new indices in first-seen order.
    /// - Throws: `MRIError` if fewer than `count` probabilities are positive.
    public mutating func choiceWithoutReplacement(_ probabilities: [Double], count: Int) throws -> [Int] {
        let positive = probabilities.filter { $0 > 0 }.count
        try MRIError.require(
            positive >= count, "probabilities", "only \(positive) non-zero entries for \(count) samples")
        var weights = probabilities
        var found: [Int] = []
        while found.count < count {
            let draws = randomSample(count: count - found.count)
            for index in found { weights[index] = 0 }
            var cdf = [Double](repeating: 0, count: weights.count)
            var total = 0.0
            for (k, w) in weights.enumerated() {
                total += w
                cdf[k] = total
            }
            let last = cdf[cdf.count - 1]
            for k in cdf.indices { cdf[k] /= last }
            var seen = Set<Int>()
            for x in draws {
                let index = Self.searchSortedRight(cdf, x)
                if seen.insert(index).inserted { found.append(index) }
            }
        }
        return found
    }

    /// The first index whose value exceeds `x` (`searchsorted(x, side="right")`).
    private static func searchSortedRight(_ sorted: [Double], _ x: Double) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] <= x { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
