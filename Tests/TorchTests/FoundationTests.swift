import Testing

@testable import Torch
import TorchTestSupport

@Suite("Tensor basics")
struct TensorBasicsTests {
    @Test("a Swift array round-trips through a tensor with its shape and dtype")
    func arrayRoundTrip() {
        let values: [Float] = [1, -2.5, 3, 4, 5, 6]
        let tensor = Tensor(values, shape: [2, 3])
        #expect(tensor.shape == [2, 3])
        #expect(tensor.dtype == .float32)
        #expect(tensor.toArray(of: Float.self) == values)
        #expect(tensor.to(dtype: .int64).toArray(of: Int.self) == [1, -2, 3, 4, 5, 6])
    }

    @Test("libtorch reports the pinned version")
    func version() {
        #expect(Runtime.libtorchVersion == "2.11.0")
    }

    @Test("a failing op inside withTorchErrors throws libtorch's message")
    func throwingScope() {
        let a = Tensor([1, 2, 3] as [Float])
        #expect(throws: TorchError.self) {
            try withTorchErrors { ATenOperator("aten::mm")(.tensor(a), .tensor(a)) }
        }
        do {
            _ = try withTorchErrors { ATenOperator("aten::mm")(.tensor(a), .tensor(a)) }
        } catch let error as TorchError {
            #expect(error.message.contains("must be a matrix"), "message was: \(error.message)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
