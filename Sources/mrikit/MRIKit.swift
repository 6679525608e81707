import ArgumentParser
import Torch
import Foundation

extension ATen { static let add = ATenOperator("aten::add", "Tensor"); static let mul = ATenOperator("aten::mul", "Tensor") }
@main
struct MRIKitCommand: ParsableCommand {
    func run() throws {
        Runtime.threadCount = 1
        let a = Tensor([Float](repeating: 1, count: 16))
        let b = Tensor([Float](repeating: 0.5, count: 16))
        var x = a
        for _ in 0..<1000 { x = ATen.add(.tensor(x), .tensor(b)) }
        let n = 200000
        let t0 = Date()
        for _ in 0..<n { x = ATen.mul(.tensor(ATen.add(.tensor(x), .tensor(b))), .tensor(b)) }
        print("us/op", Date().timeIntervalSince(t0) / Double(2*n) * 1e6)
        let t1 = Date()
        for _ in 0..<n { x = x.tmpAdd(b).tmpMul(b) }
        print("direct us/op", Date().timeIntervalSince(t1) / Double(2*n) * 1e6)
        let dt = Date().timeIntervalSince(t0) / Double(2*n)
        print("us/op", dt * 1e6)
    }
}
