// Uses MRIKit's libraries from another package: tensors, autograd and a TorchNN layer.
import TorchNN

let x = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2]).requiringGrad()
let y = x.mm(x)
y.sum().backward()
print("libtorch \(Runtime.libtorchVersion): x @ x = \(y.toArray(of: Float.self)), d(sum)/dx = \(x.grad!.toArray(of: Float.self))")

let layer = Linear(2, 3, generator: Generator(seed: 0))
print("Linear(2, 3) keys: \(layer.stateDict().keys), output shape: \(layer(x.detach()).shape)")
