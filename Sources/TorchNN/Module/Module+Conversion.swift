private extension ATen {
    static let setData = ATenOperator("aten::set_data")
}

extension Module {
    /// Moves the parameters and buffers of this module and its descendants to `device` and/or
    /// converts the floating-point ones to `dtype` (`module.to(device, dtype)`); integer buffers
    /// such as `num_batches_tracked` keep their type, as in PyTorch. Returns `self`.
    ///
    /// As PyTorch's `param.data = param.to(...)`, each tensor's data is replaced in place
    /// (`set_data`): the tensor objects stay the same, with their `requiresGrad`, so references
    /// held elsewhere (an optimizer's) follow. Gradients are converted the same way.
    @discardableResult
    public func to(device: Device? = nil, dtype: DType? = nil) -> Self {
        if let dtype {
            precondition(dtype.isFloatingPoint || dtype.isComplex,
                         "Module.to only accepts floating point or complex dtypes, but got \(dtype)")
        }
        withoutGradient {
            for slot in allTensorSlots() {
                guard let tensor = slot.tensor else { continue }
                let convertsType = tensor.dtype.isFloatingPoint || tensor.dtype.isComplex
                Module.replaceData(of: tensor, device: device, dtype: convertsType ? dtype : nil)
                if let grad = tensor.grad {
                    Module.replaceData(of: grad, device: device, dtype: convertsType ? dtype : nil)
                }
            }
        }
        return self
    }

    private static func replaceData(of tensor: Tensor, device: Device?, dtype: DType?) {
        let converted = tensor.to(device: device, dtype: dtype)
        _ = ATen.setData.call([.tensor(tensor), .tensor(converted)])
    }
}
