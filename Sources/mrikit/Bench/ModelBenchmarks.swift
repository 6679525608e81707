import MRIModels

/// The reconstruction-model workloads of `mrikit bench` (`bench/models_peer.py` runs fastMRI's
/// models, and the fixture script's RCAN, on the same work): one training step each, forward, L1
/// loss, backward and Adam; the `-ckpt` variants with gradient checkpointing on both sides. Each is
/// its own group, so only one network is alive at a time.
func reconstructionModelGroups(
    steps: Int, device: Device, python: String
) -> [(names: [String], make: () throws -> [Workload])] {
    let peer = PythonPeer(python: python, script: "bench/models_peer.py")
    func group(_ name: String, _ label: String, _ swift: @escaping () -> () -> Double)
        -> (names: [String], make: () throws -> [Workload])
    {
        ([name], {
            [Workload(name: name, label: label, unit: 1, peer: peer, peerArguments: ["--steps", String(steps)],
                      swift: swift())]
        })
    }
    return [
        group("varnetstep", "VarNet(12) 1×1×320² (s)") {
            varnetTrainingStep(steps: steps, device: device, checkpointed: false)
        },
        group("varnetstep-ckpt", "VarNet(12) checkpointed (s)") {
            varnetTrainingStep(steps: steps, device: device, checkpointed: true)
        },
        group("fastmriunetstep", "fastMRI U-Net(32) 320² (s)") {
            fastMRIUnetTrainingStep(steps: steps, device: device)
        },
        group("rcanstep", "RCAN(160,25,4) 2×128² (s)") {
            rcanTrainingStep(steps: steps, device: device, checkpointed: false)
        },
        group("rcanstep-ckpt", "RCAN checkpointed (s)") {
            rcanTrainingStep(steps: steps, device: device, checkpointed: true)
        },
    ]
}

/// Seconds per training step of the default 12-cascade ``VarNet`` on single-coil `[1, 1, 320, 320]`
/// k-space under an equispaced 4× mask with 26 centre columns (as `models_peer.py`).
func varnetTrainingStep(steps: Int, device: Device, checkpointed: Bool) -> () -> Double {
    let generator = Generator(seed: 1)
    let width = 320
    let start = (width - 26 + 1) / 2
    let columns = (0..<width).map { $0 % 4 == 0 || ($0 >= start && $0 < start + 26) ? Float(1) : 0 }
    let mask = Tensor(columns, shape: [1, 1, 1, width]).to(device: device)
    let kspace = (Tensor.randn([1, 1, 320, 320], dtype: .complex64, generator: generator) * mask).to(device: device)
    let target = Tensor.rand([1, 320, 320], generator: generator).to(device: device)
    let network = VarNet(numCascades: 12).to(device: device)
    network.gradientCheckpointing = checkpointed
    return trainingStep(network.namedParameters(), steps: steps, device: device, lr: 3e-4) {
        Functional.l1Loss(network(kspace, mask: mask), target: target)
    }
}

/// Seconds per training step of fastMRI's ``Unet`` (1 → 1, 32 channels, 4 pools) on `[1, 1, 320, 320]`.
func fastMRIUnetTrainingStep(steps: Int, device: Device) -> () -> Double {
    let generator = Generator(seed: 1)
    let image = Tensor.randn([1, 1, 320, 320], generator: generator).to(device: device)
    let target = Tensor.randn([1, 1, 320, 320], generator: generator).to(device: device)
    let network = Unet(inChans: 1, outChans: 1, chans: 32, numPoolLayers: 4).to(device: device)
    return trainingStep(network.namedParameters(), steps: steps, device: device, lr: 1e-3) {
        Functional.l1Loss(network(image), target: target)
    }
}

/// Seconds per training step of seed 000's ``RCAN`` (its defaults: 160 features, 4 groups of 25
/// blocks) on a `[1, 2, 128, 128]` image pair, with or without checkpointing each residual group.
func rcanTrainingStep(steps: Int, device: Device, checkpointed: Bool) -> () -> Double {
    let generator = Generator(seed: 1)
    let image = Tensor.randn([1, 2, 128, 128], generator: generator).to(device: device)
    let target = Tensor.randn([1, 1, 128, 128], generator: generator).to(device: device)
    let network = RCAN(inChannels: 2, outChannels: 1, gradientCheckpointing: checkpointed).to(device: device)
    return trainingStep(network.namedParameters(), steps: steps, device: device, lr: 1e-4) {
        Functional.l1Loss(network(image), target: target)
    }
}

/// Seconds per step of `loss().backward()` and an Adam update of `parameters`.
private func trainingStep(
    _ parameters: [(name: String, tensor: Tensor)], steps: Int, device: Device, lr: Double, loss: @escaping () -> Tensor
) -> () -> Double {
    let optimizer = Adam(parameters: parameters.map { ($0.name, $0.tensor) }, lr: lr)
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
