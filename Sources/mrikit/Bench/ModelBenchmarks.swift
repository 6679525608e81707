import MRIModels

/// Seconds per Adam training step (forward and loss in `loss`, backward, update) of `network`.
func adamTrainingStep(
    steps: Int, device: Device, network: Module, loss: @escaping () -> Tensor
) -> () -> Double {
    let optimizer = Adam(parameters: network.namedParameters(), lr: 1e-4)
    return {
        let seconds = measure {
            for _ in 0..<steps {
                loss().backward()
                optimizer.step()
                optimizer.zeroGrad()
            }
            if device.kind == .cuda { Runtime.synchronize(cudaDevice: device.index ?? 0) }
        }
        return seconds / Double(steps)
    }
}

/// Seconds per Adam training step (BCE-with-logits loss) of Buda et al.'s U-Net with 16 features on a
/// `[4, 3, 128, 128]` batch (`bench/torch_peer.py unetstep`).
func unetTrainingStep(steps: Int, device: Device) -> () -> Double {
    let generator = Generator(seed: 2)
    let input = Tensor.randn([4, 3, 128, 128], generator: generator).to(device: device)
    let target = (Tensor.rand([4, 1, 128, 128], generator: generator) .> 0.5).to(device: device, dtype: .float32)
    let network = BudaUNet(inChannels: 3, outChannels: 1, initFeatures: 16, generator: generator).to(device: device)
    return adamTrainingStep(steps: steps, device: device, network: network) {
        Functional.binaryCrossEntropyWithLogits(network.logits(input), target: target)
    }
}

// MARK: Reconstruction models

/// The reconstruction-model workloads of `mrikit bench` (`bench/models_peer.py` runs fastMRI's
/// models on the same work): one training step each, forward, L1 loss, backward and Adam.
func reconstructionModelWorkloads(steps: Int, device: Device, python: String) -> [Workload] {
    let peer = PythonPeer(python: python, script: "bench/models_peer.py")
    let arguments = ["--steps", String(steps)]
    return [
        Workload(name: "varnetstep", label: "VarNet(12) 1×1×320² step (s)", unit: 1, peer: peer,
                 peerArguments: arguments, swift: varnetTrainingStep(steps: steps, device: device)),
        Workload(name: "fastmriunetstep", label: "fastMRI U-Net(32) 320² step (s)", unit: 1, peer: peer,
                 peerArguments: arguments, swift: fastMRIUnetTrainingStep(steps: steps, device: device)),
    ]
}

/// Seconds per training step of the default 12-cascade ``VarNet`` on single-coil `[1, 1, 320, 320]`
/// k-space under an equispaced 4× mask with 26 centre columns (as `models_peer.py`).
func varnetTrainingStep(steps: Int, device: Device) -> () -> Double {
    let generator = Generator(seed: 1)
    let width = 320
    let start = (width - 26 + 1) / 2
    let columns = (0..<width).map { $0 % 4 == 0 || ($0 >= start && $0 < start + 26) ? Float(1) : 0 }
    let mask = Tensor(columns, shape: [1, 1, 1, width]).to(device: device)
    let kspace = (Tensor.randn([1, 1, 320, 320], dtype: .complex64, generator: generator) * mask).to(device: device)
    let target = Tensor.rand([1, 320, 320], generator: generator).to(device: device)
    let network = VarNet(numCascades: 12).to(device: device)
    return adamTrainingStep(steps: steps, device: device, network: network) {
        Functional.l1Loss(network(kspace, mask: mask), target: target)
    }
}

/// Seconds per training step of fastMRI's ``Unet`` (1 → 1, 32 channels, 4 pools) on `[1, 1, 320, 320]`.
func fastMRIUnetTrainingStep(steps: Int, device: Device) -> () -> Double {
    let generator = Generator(seed: 1)
    let image = Tensor.randn([1, 1, 320, 320], generator: generator).to(device: device)
    let target = Tensor.randn([1, 1, 320, 320], generator: generator).to(device: device)
    let network = Unet(inChans: 1, outChans: 1, chans: 32, numPoolLayers: 4).to(device: device)
    return adamTrainingStep(steps: steps, device: device, network: network) {
        Functional.l1Loss(network(image), target: target)
    }
}

// MARK: Segmentation models

/// The names of the segmentation training-step workloads, each its own group in `mrikit bench`.
let segmentationWorkloadNames = ["segresnetvae", "vnet", "segunet2d"]

/// The segmentation training-step workload `name` against `bench/models_peer.py` (MONAI and PyTorch):
/// MONAI's SegResNetVAE on `[1, 4, 96, 96, 96]`, MONAI's VNet on `[1, 1, 64, 64, 64]` or Buda's 2D U-Net
/// on `[1, 3, 256, 256]`, each with a BCE-with-logits loss (plus the VAE loss) and Adam.
func segmentationWorkload(_ name: String, steps: Int, device: Device, python: String) -> Workload {
    let (label, swift): (String, () -> Double) = switch name {
    case "segresnetvae":
        ("SegResNetVAE 4×96³ step (ms)",
         segmentationTrainingStep(steps: steps, device: device, shape: [1, 4, 96, 96, 96], outChannels: 3) {
             let network = SegResNetVAE(inputImageSize: [96, 96, 96], inChannels: 4, outChannels: 3, generator: $0)
             return (network, { network.forward($0, generator: nil) })
         })
    case "vnet":
        ("VNet 64³ step (ms)",
         segmentationTrainingStep(steps: steps, device: device, shape: [1, 1, 64, 64, 64], outChannels: 1) {
             let network = VNet(generator: $0)
             return (network, { (network($0), nil) })
         })
    default:
        ("2D U-Net 3×256² step (ms)",
         segmentationTrainingStep(steps: steps, device: device, shape: [1, 3, 256, 256], outChannels: 1) {
             let network = BudaUNet(generator: $0)
             return (network, { (network.logits($0), nil) })
         })
    }
    return Workload(
        name: name, label: label, unit: 1e3, peer: PythonPeer(python: python, script: "bench/models_peer.py"),
        peerArguments: ["--steps", String(steps)], swift: swift)
}

/// A training step of the network `make` builds, on a random batch of `shape` with random binary
/// targets of `outChannels`: BCE-with-logits of the scores, plus the extra loss the forward returns.
private func segmentationTrainingStep(
    steps: Int, device: Device, shape: [Int], outChannels: Int,
    make: (Generator) -> (Module, (Tensor) -> (Tensor, Tensor?))
) -> () -> Double {
    let generator = Generator(seed: 3)
    let input = Tensor.randn(shape, generator: generator).to(device: device)
    let targetShape = [shape[0], outChannels] + shape.dropFirst(2)
    let target = (Tensor.rand(targetShape, generator: generator) .> 0.5).to(device: device, dtype: .float32)
    let (network, forward) = make(generator)
    network.to(device: device).train()
    return adamTrainingStep(steps: steps, device: device, network: network) {
        let (scores, extraLoss) = forward(input)
        let loss = Functional.binaryCrossEntropyWithLogits(scores, target: target)
        return extraLoss.map { loss + $0 } ?? loss
    }
}
