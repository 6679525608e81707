/// Threshold-free classification metrics from scores: ROC-AUC (MONAI `compute_roc_auc`) and PR-AUC
/// as average precision (scikit-learn's `average_precision_score`).
///
/// Scores `prediction` and binary labels `target` are `[samples]` or `[samples, classes]` (one column
/// per class, labels one-hot or multi-label). A class whose labels are all equal, or not all 0/1, has
/// no defined value: NaN.
public enum RankingMetrics {
    /// How per-class values of `[samples, classes]` inputs are combined (MONAI's `Average`).
    public enum Average: String, Sendable, CaseIterable {
        /// The unweighted mean of the per-class values (NaN if any class is NaN).
        case macro
        /// The mean weighted by each class's number of positive labels.
        case weighted
        /// One value over all (sample, class) pairs flattened together.
        case micro
        /// The per-class values, `[classes]`.
        case none
    }

    /// The area under the ROC curve, equal to the probability that a random positive scores above a
    /// random negative, ties counting one half (MONAI's tie-aware rank computation).
    ///
    /// - Parameters:
    ///   - prediction: scores `[samples]` or `[samples, classes]`.
    ///   - target: 0/1 labels, the shape of `prediction`.
    /// - Returns: a 0-d float64 tensor, or `[classes]` for `.none`.
    public static func rocAUC(prediction: Tensor, target: Tensor, average: Average = .macro) throws -> Tensor {
        try perClass(prediction, target, average: average, function: "rocAUC", metric: areaUnderROC)
    }

    /// The area under the precision–recall curve as average precision, `Σₙ (Rₙ − Rₙ₋₁) Pₙ` over the
    /// distinct score thresholds in decreasing order (scikit-learn's `average_precision_score`: a step
    /// sum, not the trapezoid, which over-estimates with few thresholds). Tied scores form one threshold.
    ///
    /// - Parameters:
    ///   - prediction: scores `[samples]` or `[samples, classes]`.
    ///   - target: 0/1 labels, the shape of `prediction`.
    /// - Returns: a 0-d float64 tensor, or `[classes]` for `.none`.
    public static func averagePrecision(
        prediction: Tensor, target: Tensor, average: Average = .macro
    ) throws -> Tensor {
        try perClass(prediction, target, average: average, function: "averagePrecision", metric: averagePrecision)
    }

    // MARK: Implementation

    private static func perClass(
        _ prediction: Tensor, _ target: Tensor, average: Average, function: String,
        metric: ([Double], [Double]) -> Double
    ) throws -> Tensor {
        guard prediction.shape == target.shape, (1...2).contains(prediction.rank) else {
            throw MRIError(
                "prediction", "\(function): prediction \(prediction.shape) and target \(target.shape) must both be "
                    + "[samples] or [samples, classes]")
        }
        let columns = prediction.rank == 2 ? prediction.size(1) : 1
        let scores = prediction.to(device: .cpu, dtype: .float64).contiguous().toArray(of: Double.self)
        let labels = target.to(device: .cpu, dtype: .float64).contiguous().toArray(of: Double.self)
        let device = prediction.device
        // MONAI ignores `average` for a single column.
        if columns == 1 { return scalarTensor(metric(scores, labels)).to(device: device) }
        func column(_ values: [Double], _ index: Int) -> [Double] {
            stride(from: index, to: values.count, by: columns).map { values[$0] }
        }
        let values = (0..<columns).map { metric(column(scores, $0), column(labels, $0)) }
        switch average {
        case .micro: return scalarTensor(metric(scores, labels)).to(device: device)
        case .none: return Tensor(values, shape: [columns]).to(device: device)
        case .macro: return scalarTensor(values.reduce(0, +) / Double(columns)).to(device: device)
        case .weighted:
            let weights = (0..<columns).map { column(labels, $0).reduce(0, +) }
            let total = zip(values, weights).map { $0 * $1 }.reduce(0, +)
            return scalarTensor(total / weights.reduce(0, +)).to(device: device)
        }
    }

    private static func scalarTensor(_ value: Double) -> Tensor { Tensor.full([], value, dtype: .float64) }

    /// Scores grouped by distinct value, in increasing order, with the positives and negatives in each.
    private static func tiedGroups(
        _ scores: [Double], _ labels: [Double]
    ) -> [(positives: Double, negatives: Double)]? {
        guard labels.allSatisfy({ $0 == 0 || $0 == 1 }), labels.contains(0), labels.contains(1) else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var groups: [(positives: Double, negatives: Double)] = []
        var previous: Double?
        for index in order {
            if scores[index] != previous { groups.append((0, 0)) }
            previous = scores[index]
            groups[groups.count - 1].positives += labels[index]
            groups[groups.count - 1].negatives += 1 - labels[index]
        }
        return groups
    }

    private static func areaUnderROC(_ scores: [Double], _ labels: [Double]) -> Double {
        guard let groups = tiedGroups(scores, labels) else { return .nan }
        // Each positive beats every negative in lower groups, and half of those in its own group.
        var negativesBelow = 0.0
        var area = 0.0
        for group in groups {
            area += group.positives * (negativesBelow + group.negatives / 2)
            negativesBelow += group.negatives
        }
        let positives = Double(labels.count) - negativesBelow
        return area / (negativesBelow * positives)
    }

    private static func averagePrecision(_ scores: [Double], _ labels: [Double]) -> Double {
        guard let groups = tiedGroups(scores, labels) else { return .nan }
        let positives = groups.reduce(0) { $0 + $1.positives }
        // Thresholds from the highest score down: each admits one tied group.
        var truePositives = 0.0
        var predictedPositives = 0.0
        var total = 0.0
        for group in groups.reversed() {
            truePositives += group.positives
            predictedPositives += group.positives + group.negatives
            total += group.positives / positives * (truePositives / predictedPositives)
        }
        return total
    }
}
