// Uses MRIKit's Torch library from another package: a tensor, an op, autograd.
import Torch

let x = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2]).requiringGrad()
let y = ATenOperator("aten::mm")(.tensor(x), .tensor(x))
let loss = ATenOperator("aten::sum")(.tensor(y))
loss.backward()
print("libtorch \(Runtime.libtorchVersion): x @ x = \(y.toArray(of: Float.self)), d(sum)/dx = \(x.grad!.toArray(of: Float.self))")
