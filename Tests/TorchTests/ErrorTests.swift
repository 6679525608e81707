import Foundation
import Testing

@testable import Torch
import TorchTestSupport

private func matrix(_ rows: Int, _ columns: Int, _ dtype: DType = .float32) -> Tensor {
    Tensor([Double](repeating: 1, count: rows * columns), shape: [rows, columns]).to(dtype: dtype)
}

/// Runs `body` on a new thread and waits for it.
private func onNewThread(_ body: @escaping @Sendable () -> Void) {
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        body()
        done.signal()
    }
    thread.start()
    done.wait()
}

@Suite("Errors from libtorch")
struct ErrorTests {
    @Test("a shape mismatch reaches Swift with libtorch's message")
    func shapeMismatch() {
        let error = #expect(throws: TorchError.self) {
            try withTorchErrors { matrix(2, 3).mm(matrix(4, 5)) }
        }
        #expect(error?.message.contains("shapes cannot be multiplied (2x3 and 4x5)") == true, "\(error?.message ?? "")")
    }

    @Test("a dtype mismatch reaches Swift with libtorch's message")
    func dtypeMismatch() {
        let error = #expect(throws: TorchError.self) {
            try withTorchErrors { matrix(2, 2).mm(matrix(2, 2, .float64)) }
        }
        #expect(error?.message.contains("same dtype") == true, "\(error?.message ?? "")")
    }

    @Test("after a failure, later ops return placeholders without crashing and the first error is thrown")
    func placeholdersAfterFailure() {
        var placeholder: Tensor?
        var afterwards: Tensor?
        let error = #expect(throws: TorchError.self) {
            try withTorchErrors {
                placeholder = matrix(2, 3).mm(matrix(4, 5))
                // Fails again (an undefined input); this second message must not replace the first.
                _ = (placeholder ?? matrix(1, 1)).tanh()
                afterwards = matrix(2, 2).tanh()
            }
        }
        #expect(placeholder?.isDefined == false)
        #expect(afterwards?.isDefined == true, "valid ops still run")
        #expect(error?.message.contains("cannot be multiplied") == true, "\(error?.message ?? "")")
    }

    @Test("nested scopes: the inner one throws its error, the outer one continues unaffected")
    func nestedScopes() throws {
        let result = try withTorchErrors {
            let inner = #expect(throws: TorchError.self) {
                try withTorchErrors { matrix(2, 3).mm(matrix(4, 5)) }
            }
            #expect(inner != nil)
            return matrix(2, 3).mm(matrix(3, 4))
        }
        #expect(result.shape == [2, 4])
        // A failure in the outer scope after a clean inner one is the outer scope's to throw.
        #expect(throws: TorchError.self) {
            try withTorchErrors {
                _ = try withTorchErrors { matrix(2, 2).tanh() }
                _ = matrix(2, 3).mm(matrix(4, 5))
            }
        }
    }

    @Test("scopes are per thread: a failure on another thread never lands in this thread's scope")
    func perThread() throws {
        nonisolated(unsafe) var otherThreadError: TorchError?
        nonisolated(unsafe) var otherThreadDepth = -1
        try withTorchErrors {
            onNewThread {
                otherThreadDepth = ErrorScope.current.depth
                do {
                    _ = try withTorchErrors { matrix(2, 3).mm(matrix(4, 5)) }
                } catch {
                    otherThreadError = error as? TorchError
                }
            }
            #expect(ErrorScope.current.depth == 1)
        }
        #expect(otherThreadDepth == 0, "this thread's open scope is invisible there")
        #expect(otherThreadError?.message.contains("cannot be multiplied") == true)
    }

    @Test("outside a scope, a failing op stops the process (a programmer error)")
    func trapsOutsideScope() async {
        await #expect(processExitsWith: .failure) {
            _ = matrix(2, 3).mm(matrix(4, 5))
        }
    }
}
