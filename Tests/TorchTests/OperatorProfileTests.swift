import Testing
import Torch

@Suite("OperatorProfile")
struct OperatorProfileTests {
    @Test("counts each operator the work ran, with its calls, and nothing outside the work")
    func countsOperators() throws {
        let a = Tensor.randn([64, 64])
        _ = a.exp()  // before the profile: must not be counted
        let profile = OperatorProfile.record {
            for _ in 0..<3 { _ = a.matmul(a) }
            _ = a.sum()
        }
        let names = Dictionary(profile.rows.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(names["aten::matmul"]?.calls == 3)
        #expect(names["aten::sum"]?.calls == 1)
        #expect(names["aten::exp"] == nil)
        #expect(profile.rows.allSatisfy { $0.milliseconds >= 0 })
        #expect(zip(profile.rows, profile.rows.dropFirst()).allSatisfy { $0.milliseconds >= $1.milliseconds })
        #expect(profile.table(limit: 2).split(separator: "\n").count == 2)
    }
}
