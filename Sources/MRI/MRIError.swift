/// Invalid input to an MRI function: the message names the argument and what is wrong with it.
public struct MRIError: Error, CustomStringConvertible, Equatable {
    /// The argument or field that was rejected, e.g. `"sensitivities"` or `"mask"`.
    public let argument: String
    /// What is wrong with it.
    public let reason: String

    /// An error about `argument`.
    public init(_ argument: String, _ reason: String) {
        self.argument = argument
        self.reason = reason
    }

    /// `invalid <argument>: <reason>`.
    public var description: String { "invalid \(argument): \(reason)" }

    /// Throws unless `condition` holds.
    static func require(_ condition: Bool, _ argument: String, _ reason: @autoclosure () -> String) throws {
        if !condition { throw MRIError(argument, reason()) }
    }
}
