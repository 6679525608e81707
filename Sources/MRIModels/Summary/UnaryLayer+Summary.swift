import Foundation

extension UnaryLayer {
    /// torchsummary's `summary(model, inputShape)`: every layer's output shape and parameter count,
    /// the totals (trainable and frozen) and the estimated memory of the input, the activations and
    /// the parameters — plus the peak memory measured over one forward and backward pass
    /// (``ModelSummary/measuredPeakBytes``). `print(model.summary(inputShape: [1, 64, 128, 128]))`.
    ///
    /// The shapes come from a forward pass of 2 random samples `[2] + inputShape`, as torchsummary
    /// runs, here in evaluation mode and without gradients so that the model's batch-norm statistics
    /// are left untouched; the measurement runs `|batchSize|` samples in evaluation mode with
    /// gradients of the parameters (not accumulated into them). Layers called through methods with
    /// several inputs (a decoder block's `(x, skip)`) are not rows, their layers are.
    ///
    /// - Parameters:
    ///   - inputShape: one sample's shape, `[C, spatial...]`.
    ///   - batchSize: the batch size shown in the shapes; sizes are for its magnitude (torchsummary's
    ///     default `-1` means one sample).
    ///   - device: where the passes run (the model's parameters must be there).
    public func summary(inputShape: [Int], batchSize: Int = -1, device: Device = .cpu) -> ModelSummary {
        let modes = modules().map { ($0, $0.isTraining) }
        defer { for (module, mode) in modes { module.train(mode) } }
        eval()
        var layers: [ModelSummary.Layer] = []
        withoutGradient {
            Module.withForwardHook({ [self] layer, _, output in
                guard layer !== self, !(layer is Sequential), !(layer is NamedSequential) else { return }
                let own = layer.namedParameters().filter { !$0.name.contains(".") }.map(\.tensor)
                layers.append(ModelSummary.Layer(
                    type: String(describing: type(of: layer)), outputShape: [batchSize] + output.shape.dropFirst(),
                    parameterCount: own.reduce(0) { $0 + $1.count },
                    trainableParameterCount: own.filter(\.requiresGrad).reduce(0) { $0 + $1.count }))
            }) {
                _ = self(Tensor.rand([2] + inputShape, device: device))
            }
        }
        return ModelSummary(
            layers: layers, inputShape: inputShape, batchSize: batchSize,
            measuredPeakBytes: measurePeakMemory(of: { [self] in
                let output = self(Tensor.rand([max(1, abs(batchSize))] + inputShape, device: device))
                let parameters = self.parameters().filter(\.requiresGrad)
                if !parameters.isEmpty, output.requiresGrad {
                    _ = gradients(of: [output.sum()], with: parameters, allowUnused: true)
                }
            }, on: device))
    }
}

/// The peak memory `body` uses on `device`, in bytes, above what was in use when it started:
/// measured by `memoryMeter(for:)` (the CUDA caching allocator's peak, or on a Linux CPU the
/// resident-set high-water mark after handing freed heap pages back); `nil` where neither is
/// available.
func measurePeakMemory(of body: () -> Void, on device: Device) -> Int? {
    let meter = memoryMeter(for: device)
    let cudaIndex = device.kind == .cuda ? device.index ?? 0 : nil
    if let cudaIndex {
        Runtime.synchronize(cudaDevice: cudaIndex)
        guard Runtime.memoryStats(cudaDevice: cudaIndex) != nil else { return nil }
    }
    meter.resetPeak()
    let before = meter.currentBytes
    guard before > 0 || cudaIndex != nil else { return nil }
    body()
    if let cudaIndex { Runtime.synchronize(cudaDevice: cudaIndex) }
    return max(0, meter.peakBytes - before)
}
