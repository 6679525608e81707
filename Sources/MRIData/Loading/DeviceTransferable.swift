/// A batch that a `DataLoader` can pin in host memory and copy to a device.
///
/// Pinning happens on the worker thread that built the batch; the copy happens when the consumer
/// takes the batch, with `nonBlocking: true`, so a CUDA copy from pinned memory overlaps with the
/// computation already queued on the consumer's stream (as PyTorch's `pin_memory=True` +
/// `.to(device, non_blocking=True)`).
public protocol DeviceTransferable {
    /// The same batch in page-locked host memory (CPU tensors only).
    func pinMemory() -> Self
    /// The same batch on `device`.
    func to(device: Device, nonBlocking: Bool) -> Self
}

extension Tensor: DeviceTransferable {
    public func to(device: Device, nonBlocking: Bool) -> Tensor { to(device: device, dtype: nil, nonBlocking: nonBlocking) }
}

extension Array: DeviceTransferable where Element: DeviceTransferable {
    public func pinMemory() -> [Element] { map { $0.pinMemory() } }
    public func to(device: Device, nonBlocking: Bool) -> [Element] { map { $0.to(device: device, nonBlocking: nonBlocking) } }
}
