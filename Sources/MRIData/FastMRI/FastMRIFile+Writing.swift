extension FastMRIFile {
    /// Writes a fastMRI-layout file at `path` (atomically: nothing is left half-written).
    ///
    /// - Parameters:
    ///   - kspace: `[slices, H, W]` or `[slices, coils, H, W]` complex64.
    ///   - header: the geometry written as `ismrmrd_header`.
    ///   - attributes: the root attributes (those not `nil`).
    ///   - reconstructions: targets, each `[slices, h, w]` float32.
    ///   - mask: the k-space column mask of test files, `[W]`, written as bool.
    ///   - compressionLevel: gzip level for the datasets, one slice per chunk; `nil` stores them
    ///     uncompressed and contiguous, as the fastMRI files are.
    public static func write(
        to path: String, kspace: Tensor, header: FastMRIHeader, attributes: FastMRIAttributes = FastMRIAttributes(),
        reconstructions: [FastMRIReconstruction: Tensor] = [:], mask: Tensor? = nil, compressionLevel: Int? = nil
    ) throws {
        precondition(
            kspace.dtype == .complex64 && (kspace.rank == 3 || kspace.rank == 4),
            "FastMRIFile.write: kspace must be complex64 [slices, (coils,) H, W], not \(kspace.dtype) \(kspace.shape)")
        for (name, target) in reconstructions {
            precondition(
                target.rank == 3 && target.size(0) == kspace.size(0),
                "FastMRIFile.write: \(name.rawValue) must be [\(kspace.size(0)), h, w], not \(target.shape)")
        }
        precondition(
            mask.map { $0.shape == [kspace.size(-1)] } ?? true,
            "FastMRIFile.write: mask must be [\(kspace.size(-1))], not \(mask?.shape ?? [])")
        try HDF5File.create(at: path) { file in
            try file.write("ismrmrd_header", string: header.xml)
            try file.write("kspace", kspace, compressionLevel: compressionLevel)
            for reconstruction in FastMRIReconstruction.allCases {
                guard let target = reconstructions[reconstruction] else { continue }
                try file.write(reconstruction.rawValue, target.to(dtype: .float32), compressionLevel: compressionLevel)
            }
            if let mask { try file.write("mask", mask.to(dtype: .bool)) }
            try attributes.write(to: file)
        }
    }
}
