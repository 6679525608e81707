import Foundation
import MRIData

/// The demo's built-in data: axial slices of the MNI152 2009c T1 template and its gray- and
/// white-matter probability maps, from the `nilearn` wheel that `make setup` unpacks into
/// `data/mni152/` (real brain anatomy, no other download).
struct DemoAnatomy {
    /// T1 slices `[slices, H, W]`, float32 in [0, 1].
    let t1: Tensor
    /// Tissue labels `[slices, H, W]`, int64: 0 background/CSF, 1 gray matter, 2 white matter.
    let labels: Tensor
    /// The template's axial slice index of each slice.
    let sliceIndices: [Int]

    static let fileNames = (
        t1: "mni_icbm152_t1_tal_nlin_sym_09a_converted.nii.gz",
        grayMatter: "mni_icbm152_gm_tal_nlin_sym_09a_converted.nii.gz",
        whiteMatter: "mni_icbm152_wm_tal_nlin_sym_09a_converted.nii.gz")

    /// Reads the template from `directory` and takes the axial slices `sliceIndices`, each
    /// turned to radiological display (anterior up), halved in resolution (2 mm) and zero-padded
    /// to `[128, 112]` (sizes the wavelets and U-Nets divide).
    init(directory: String, sliceIndices: [Int]) throws {
        func volume(_ name: String) throws -> Tensor {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: path.path) else {
                throw DataError(file: path.path, "missing: run `make setup` (it unpacks the MNI152 template from the nilearn wheel)")
            }
            let image = try NIfTIImage(contentsOf: path)
            guard image.data.rank == 3, image.data.size(2) > (sliceIndices.max() ?? 0) else {
                throw DataError(file: path.path, field: "dim", "expected a 3-D volume with at least \((sliceIndices.max() ?? 0) + 1) slices, got \(image.data.shape)")
            }
            return image.data.to(dtype: .float32)
        }
        func slices(_ data: Tensor) -> Tensor {
            let index = Tensor(sliceIndices.map(Int64.init), shape: [sliceIndices.count])
            // [x, y, z] → [z, y, x], rows flipped so anterior is up.
            let axial = data.indexSelect(dim: 2, index: index).permute([2, 1, 0]).flip(dims: [1]).unsqueeze(1)
            let halved = Functional.avgPool2d(axial, kernelSize: [2]).squeeze(dim: 1)
            let (rows, columns) = (halved.size(1), halved.size(2))
            let (padRows, padColumns) = (max(128 - rows, 0), max(112 - columns, 0))
            let padding = [padColumns / 2, padColumns - padColumns / 2, padRows / 2, padRows - padRows / 2]
            let padded: Tensor = halved.pad(padding)
            let cropped: Tensor = padded[TensorIndex.all, ..<128, ..<112]
            return cropped.contiguous()
        }
        let t1 = slices(try volume(Self.fileNames.t1))
        self.t1 = t1 / t1.max()
        // The probability maps are stored as 0…255.
        let grayMatter = slices(try volume(Self.fileNames.grayMatter)) / 255
        let whiteMatter = slices(try volume(Self.fileNames.whiteMatter)) / 255
        let background = (1 - grayMatter - whiteMatter).clamp(min: 0)
        labels = Tensor.stack([background, grayMatter, whiteMatter], dim: 1).argmax(dim: 1)
        self.sliceIndices = sliceIndices
    }
}
