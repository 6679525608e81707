/// Why no memory plan could be made; each case names the option or the numbers involved.
public enum MemoryPlanError: Error, CustomStringConvertible, Equatable {
    /// A memory size that does not parse: the option or key, and the text given.
    case invalidSize(field: String, value: String)
    /// The budget is below the smallest peak any plan reaches: the budget, that peak (measured
    /// or predicted) and how it was reached.
    case doesNotFit(budget: Int, smallestPeak: Int, configuration: String)

    /// A sentence naming the option or the sizes.
    public var description: String {
        switch self {
        case let .invalidSize(field, value):
            "invalid \(field): \"\(value)\" is not a memory size; expected a positive number with an optional unit "
                + "B, kB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024), e.g. 8GB or 512MiB"
        case let .doesNotFit(budget, smallestPeak, configuration):
            "a training step cannot fit in the memory budget of \(MemorySize(bytes: budget)): the smallest peak, "
                + "with \(configuration), is \(MemorySize(bytes: smallestPeak))"
        }
    }
}
