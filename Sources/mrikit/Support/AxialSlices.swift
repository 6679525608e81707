import MRITraining

/// Axial slices of a NIfTI volume stored `[x, y, z]` with `y` running posterior to anterior (the
/// layout of MNI-space and most RAS-oriented files): slice `z` as an image `[y, x]` with its rows
/// reversed, so the front of the head is at the top.
enum AxialSlices {
    /// `[z, y, x]` slices of `volume` `[x, y, z]`, each with anterior up.
    static func of(_ volume: Tensor) -> Tensor {
        volume.to(dtype: .float32).permute([2, 1, 0]).flip(dims: [1]).contiguous()
    }
}
