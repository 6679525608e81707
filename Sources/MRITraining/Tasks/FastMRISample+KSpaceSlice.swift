extension FastMRISample {
    /// The slice as the k-space transforms read it, with the file's padding and recon size.
    public var kspaceSlice: KSpaceSlice {
        KSpaceSlice(
            kspace: kspace, mask: mask, target: target, maxValue: target == nil ? nil : maxValue,
            paddingLeft: header.paddingLeft, paddingRight: header.paddingRight, reconSize: cropSize,
            fileName: fileName, sliceNumber: sliceIndex)
    }
}
