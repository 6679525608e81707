/// Figures of segmentations: image | truth | prediction panels with the labels drawn over the image.
public enum SegmentationOverlay {
    /// An RGB panel (uint8 `[3, H, W]`) of a volume `[H, W, slices]` (or one image `[H, W]`) and its
    /// label maps, at the slice where `truth` (or, without it, `prediction`) has the most foreground;
    /// see ``panel(image:truth:prediction:predictionTitle:)``.
    public static func volumePanel(image: Tensor, truth: Tensor?, prediction: Tensor, predictionTitle: String = "prediction")
        -> Tensor
    {
        func volume(_ tensor: Tensor) -> Tensor { tensor.rank == 2 ? tensor.unsqueeze(-1) : tensor }
        let slice = busiestSlice(volume(truth ?? prediction))
        func at(_ tensor: Tensor) -> Tensor { volume(tensor)[TensorIndex.ellipsis, slice] }
        return panel(image: at(image), truth: truth.map(at), prediction: at(prediction), predictionTitle: predictionTitle)
    }

    /// The index along the last axis of `labels` `[..., slices]` holding the most foreground (the
    /// middle slice when there is none).
    static func busiestSlice(_ labels: Tensor) -> Int {
        let slices = labels.size(-1)
        let area = (labels .> 0).to(dtype: .int64).reshape([-1, slices]).sum(dim: 0)
        return area.max().item(Int64.self) > 0 ? Int(area.argmax().item(Int64.self)) : slices / 2
    }

    /// An RGB panel `[3, H, W]` (uint8) of a 2-D `image` alone, then with `truth` (when given) and
    /// `prediction` label maps `[H, W]` drawn over it (label 1 orange, 2 green, ...), shown over the
    /// image's 0.5–99.5 percentile range.
    public static func panel(image: Tensor, truth: Tensor?, prediction: Tensor, predictionTitle: String = "prediction")
        -> Tensor
    {
        let values = image.to(dtype: .float32).flatten()
        let sorted = values.sort().values
        let count = sorted.size(0)
        let low = sorted[Int(Double(count - 1) * 0.005)].item(Float.self)
        let high = max(sorted[Int(Double(count - 1) * 0.995)].item(Float.self), low + .leastNonzeroMagnitude)
        var cells = [ImageGrid.Cell("image", image, range: low...high)]
        if let truth { cells.append(.init("truth", image, range: low...high, labels: truth)) }
        cells.append(.init(predictionTitle, image, range: low...high, labels: prediction))
        return ImageGrid(cells).render().tensor
    }
}
