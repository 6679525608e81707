import ArgumentParser
import TorchNN

/// `mrikit demo`: trains the tiny conv net to denoise synthetic images for a few seconds.
///
/// A placeholder for the MRI reconstruction demo: it proves the whole stack (tensors,
/// convolutions, autograd, parameter updates) on the best device present.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Train a tiny denoising network on synthetic images.")

    @Option(help: "Training steps.") var steps = 40
    @Option(help: "Images per batch.") var batchSize = 8
    @Option(help: "Image side in pixels.") var size = 64
    @Option(help: "SGD learning rate.") var learningRate = 0.05

    func validate() throws {
        guard steps > 0, batchSize > 0, size >= 8 else {
            throw ValidationError("--steps and --batch-size must be positive and --size at least 8")
        }
    }

    func run() throws {
        let device = Runtime.preferredDevice
        print("MRIKit demo on libtorch \(Runtime.libtorchVersion), device \(device), \(Runtime.threadCount) CPU threads")
        print("Task: remove Gaussian noise (σ = 0.3) from random smooth blob images, \(batchSize)×1×\(size)×\(size)")
        let generator = Generator(seed: 7)
        let network = TinyConvNet(seed: 0, device: device, learningRate: learningRate)
        for step in 1...steps {
            let clean = smoothBlobs(count: batchSize, size: size, generator: generator).to(device: device)
            let noisy = clean + Tensor.randn(clean.shape, generator: generator).to(device: device) * 0.3
            let loss = network.trainingStep(input: noisy, target: clean)
            if step == 1 || step % 5 == 0 || step == steps {
                print("step \(step, width: 3)  loss \(loss.item(Float.self))")
            }
        }
    }

    /// `count` images `[count, 1, size, size]`, each a sum of four Gaussian blobs with random
    /// centres, widths and signs.
    private func smoothBlobs(count: Int, size: Int, generator: Generator) -> Tensor {
        let axis = Tensor.linspace(-1, 1, steps: size)
        let y = axis.reshape([1, 1, size, 1])
        let x = axis.reshape([1, 1, 1, size])
        var image = Tensor.zeros([count, 1, size, size])
        for _ in 0..<4 {
            let centreY = Tensor.rand([count, 1, 1, 1], generator: generator) * 1.6 - 0.8
            let centreX = Tensor.rand([count, 1, 1, 1], generator: generator) * 1.6 - 0.8
            let width = Tensor.rand([count, 1, 1, 1], generator: generator) * 0.3 + 0.1
            let sign = Tensor.rand([count, 1, 1, 1], generator: generator) * 2 - 1
            let distance = (y - centreY).square() + (x - centreX).square()
            let twiceVariance: Tensor = width.square() * 2.0
            image = image + sign * (-(distance / twiceVariance)).exp()
        }
        return image
    }
}

extension DefaultStringInterpolation {
    /// Right-aligns `value` in `width` characters.
    mutating func appendInterpolation(_ value: Int, width: Int) {
        let text = String(value)
        appendLiteral(String(repeating: " ", count: max(0, width - text.count)) + text)
    }
}
