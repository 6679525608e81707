import Foundation

/// The sample panels of validation, `<folder>/epoch_<n>.png`: truth | input | output | error ×5,
/// all on the truth's grey scale (the error on a fifth of it).
struct SamplePanels {
    /// The folder the panels go to.
    let folder: URL

    /// Panels in `<output>/samples`.
    init(output: String) { folder = URL(fileURLWithPath: output).appendingPathComponent("samples") }

    /// Writes the panel of one image `[h, w]` each of truth, input and output for epoch `epoch` (from 1).
    func write(truth: Tensor, input: Tensor, output: Tensor, method: String, epoch: Int) throws {
        let peak = max(truth.max().item(Float.self), .leastNonzeroMagnitude)
        let grid = ImageGrid([
            .init("truth", truth, range: 0...peak), .init("input", input, range: 0...peak),
            .init(method, output, range: 0...peak), .init("error x5", (output - truth).abs(), range: 0...peak / 5),
        ])
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try PNGFile.write(grid.render().tensor, to: folder.appendingPathComponent(String(format: "epoch_%03d.png", epoch)))
    }
}
