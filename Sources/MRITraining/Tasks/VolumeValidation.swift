/// fastMRI's validation of a reconstruction network: every validation slice reconstructed, the
/// slices gathered by volume, NMSE, PSNR and SSIM computed per volume
/// (``ImageQuality/volumeMetrics(target:prediction:)``) and averaged over volumes; and a sample
/// panel of the first slice at each validation.
struct VolumeValidation {
    /// One validation batch reconstructed.
    struct Slices {
        /// The network's images `[N, h, w]`, on the target's scale.
        var output: Tensor
        /// The targets `[N, h, w]`.
        var target: Tensor
        /// The network's input as an image `[h, w]` of the batch's first slice, for the panel.
        var input: () throws -> Tensor
        /// The volume of each slice.
        var fileNames: [String]
        /// Each slice's index in its volume.
        var sliceNumbers: [Int]
    }

    /// The method's name in the panel.
    let method: String
    /// Where the panels go (nil: none, e.g. on data-parallel ranks other than 0).
    let samples: SamplePanels?

    /// The mean per-volume metrics of `reconstruct`'s output over the validation batches of
    /// `loader`; writes the panel of the first slice for the trainer's epoch `epoch` (from 1).
    func metrics<Source, Batch>(
        _ loader: DataLoader<Source, Batch>, epoch: Int, reconstruct: (Batch) throws -> Slices
    ) throws -> [String: Double] {
        var volumes: [String: [(slice: Int, output: Tensor, target: Tensor)]] = [:]
        let batches = loader.makeEpoch(0)
        var wrotePanel = false
        while let batch = try batches.next() {
            let slices = try reconstruct(batch)
            if !wrotePanel, let samples {
                try samples.write(
                    truth: slices.target[0], input: try slices.input(), output: slices.output[0], method: method,
                    epoch: epoch)
                wrotePanel = true
            }
            for item in 0..<slices.output.size(0) {
                volumes[slices.fileNames[item], default: []].append(
                    (slices.sliceNumbers[item], slices.output[item], slices.target[item]))
            }
        }
        var report = EvaluationReport()
        for (file, slices) in volumes {
            let ordered = slices.sorted { $0.slice < $1.slice }
            report.add(method: method, volume: file, metrics: try ImageQuality.volumeMetrics(
                target: Tensor.stack(ordered.map(\.target)), prediction: Tensor.stack(ordered.map(\.output))))
        }
        return report.summary(of: method).mapValues(\.mean)
    }
}
