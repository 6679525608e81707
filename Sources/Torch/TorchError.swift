import CTorch

#if canImport(Glibc)
    import Glibc
#endif

/// A failure reported by libtorch (or by MRIKit's checks of outside input).
public struct TorchError: Error, CustomStringConvertible, Sendable {
    /// libtorch's message, or MRIKit's.
    public let message: String

    /// An error with `message`.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Turns libtorch failures inside `body` into a thrown `TorchError` instead of a trap.
///
/// By default a failing tensor operation stops the program with libtorch's message, as
/// a programmer error should. Code that handles outside input (files, user shapes) runs
/// inside this scope instead: after the first failure, operations return placeholder
/// (undefined) tensors, later failures are ignored, and the first error is thrown when
/// `body` returns. Scopes nest; the error is thrown from the innermost one.
///
/// ```swift
/// let result = try withTorchErrors { a.matmul(b) }  // mismatched shapes throw
/// ```
public func withTorchErrors<Result>(_ body: () throws -> Result) throws -> Result {
    let scope = ErrorScope.current
    let saved = (scope.depth, scope.firstError)
    scope.depth += 1
    scope.firstError = nil
    defer { (scope.depth, scope.firstError) = saved }
    let result = try body()
    if let error = scope.firstError { throw error }
    return result
}

/// The per-thread state of `withTorchErrors`.
final class ErrorScope {
    var depth = 0
    var firstError: TorchError?

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            if let pointer { Unmanaged<ErrorScope>.fromOpaque(pointer).release() }
        }
        return key
    }()

    /// This thread's scope state.
    static var current: ErrorScope {
        if let pointer = pthread_getspecific(key) {
            return Unmanaged<ErrorScope>.fromOpaque(pointer).takeUnretainedValue()
        }
        let scope = ErrorScope()
        pthread_setspecific(key, Unmanaged.passRetained(scope).toOpaque())
        return scope
    }
}

/// Reports the failure the shim just recorded: traps outside `withTorchErrors`,
/// remembers the first error inside one.
@usableFromInline
func reportTorchFailure(_ context: @autoclosure () -> String = "") {
    let message = mt_last_error().map { String(cString: $0) } ?? "unknown libtorch failure"
    mt_clear_error()
    let scope = ErrorScope.current
    guard scope.depth > 0 else {
        let prefix = context()
        fatalError(prefix.isEmpty ? message : "\(prefix): \(message)")
    }
    if scope.firstError == nil { scope.firstError = TorchError(message) }
}

/// Checks a shim status; on failure, reports it and returns false.
@inlinable
@discardableResult
func check(_ status: mt_status, _ context: @autoclosure () -> String = "") -> Bool {
    if status == 0 { return true }
    reportTorchFailure(context())
    return false
}
