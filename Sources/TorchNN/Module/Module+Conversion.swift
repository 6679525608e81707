extension Module {
    /// Moves the parameters and buffers of this module and its descendants to `device` and/or
    /// converts the floating-point ones to `dtype` (`module.to(device, dtype)`); integer buffers
    /// such as `num_batches_tracked` keep their type, as in PyTorch. Returns `self`.
    ///
    /// A tensor already on `device` with `dtype` is left as it is. Otherwise its property gets a
    /// converted tensor that keeps `requiresGrad` (and a converted `grad`): unlike PyTorch,
    /// whose `param.data = ...` keeps the `Parameter` object, the tensor object changes, so
    /// create optimizers after moving the model.
    @discardableResult
    public func to(device: Device? = nil, dtype: DType? = nil) -> Self {
        if let dtype {
            precondition(dtype.isFloatingPoint || dtype.isComplex,
                         "Module.to only accepts floating point or complex dtypes, but got \(dtype)")
        }
        withoutGradient {
            for slot in allTensorSlots() {
                guard let tensor = slot.tensor else { continue }
                let targetType = tensor.dtype.isFloatingPoint || tensor.dtype.isComplex ? dtype : nil
                let needsType = targetType.map { $0 != tensor.dtype } ?? false
                let needsDevice = device.map { $0.kind != tensor.device.kind || ($0.index ?? 0) != (tensor.device.index ?? 0) }
                    ?? false
                guard needsType || needsDevice else { continue }
                let converted = tensor.to(device: device, dtype: targetType).requiringGrad(tensor.requiresGrad)
                if let grad = tensor.grad { converted.grad = grad.to(device: device, dtype: targetType) }
                slot.tensor = converted
            }
        }
        return self
    }
}
