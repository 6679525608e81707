import Foundation

extension SegmentationPredictor {
    /// Dice per region or class on every group of `cases` (a 2-D source's slices stacked into their
    /// patient's volume along a last axis), as rows of a report under `method`, and with
    /// `surfaceDistances` the 95th-percentile Hausdorff distance in voxels (`hd95_<name>`, MONAI's
    /// `HausdorffDistanceMetric(percentile=95)`: NaN where both masks are empty, infinite where one
    /// is); `visit` sees each group's image `[C, spatial...]`, target and predicted masks. With
    /// `skipBadSamples`, a sample that cannot be read is left out with a warning on standard error
    /// (a group left empty is not scored) instead of ending the evaluation with its error.
    public func evaluate(
        _ cases: SegmentationCases, method: String, surfaceDistances: Bool = false, skipBadSamples: Bool = false,
        visit: (_ group: String, _ image: Tensor, _ target: Tensor, _ masks: Tensor) throws -> Void = { _, _, _, _ in }
    ) throws -> EvaluationReport {
        var report = EvaluationReport()
        var order: [String] = []
        var members: [String: [Int]] = [:]
        for (index, group) in cases.groups.enumerated() {
            if members[group] == nil { order.append(group) }
            members[group, default: []].append(index)
        }
        for group in order {
            let samples = try members[group]!.compactMap { index -> SegmentationSample? in
                do {
                    return try cases.sample(at: index)
                } catch where skipBadSamples {
                    FileHandle.standardError.write(Data("warning: skipping \(cases.names[index]): \(error)\n".utf8))
                    return nil
                }
            }
            guard !samples.isEmpty else { continue }
            let slices = samples[0].image.rank == 3
            let image = slices ? Tensor.stack(samples.map(\.image), dim: -1) : samples[0].image
            let target = slices ? Tensor.stack(samples.map(\.target), dim: -1) : samples[0].target
            let predicted = slices ? masks(ofSlices: image) : masks(fromProbabilities: probabilities(image.unsqueeze(0)))[0]
            let (prediction, truth) = (kind.oneHotMasks(predicted.unsqueeze(0)), kind.oneHotMasks(target.unsqueeze(0)))
            let includeBackground = kind.scoredNames.count == kind.outputChannels
            let dice = try SegmentationMetrics.dice(
                prediction: prediction, target: truth, includeBackground: includeBackground, reduction: .none)
                .toArray(of: Double.self)
            var metrics = Dictionary(uniqueKeysWithValues: zip(kind.scoredNames.map { "dice_" + $0 }, dice))
            let finite = dice.filter(\.isFinite)
            metrics["dice"] = finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
            if surfaceDistances {
                let distances = try SegmentationMetrics.hausdorffDistance(
                    prediction: prediction, target: truth, includeBackground: includeBackground, percentile: 95,
                    reduction: .none).toArray(of: Double.self)
                for (name, distance) in zip(kind.scoredNames, distances) { metrics["hd95_" + name] = distance }
            }
            report.add(method: method, volume: group, metrics: metrics)
            try visit(group, image, target, predicted)
        }
        return report
    }
}
