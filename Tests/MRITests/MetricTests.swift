import Testing

@testable import MRI
import TorchTestSupport

extension Fixture {
    /// The result `name` with the NaN and +∞ entries JSON cannot hold put back (see make_metric_fixtures.py).
    func result(_ name: String) -> Tensor {
        tensor(name).to(dtype: .float64).maskedFill(tensor(name + ".nan"), .nan)
            .maskedFill(tensor(name + ".inf"), .infinity)
    }
}

/// Expects equal NaN and +∞ positions and finite values within `tolerance`, comparing flattened values
/// (MONAI's reductions return `[1]` where MRIKit returns a 0-d tensor).
func expectMatches(
    _ actual: Tensor, _ expected: Tensor, tolerance: Double, _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let (mine, theirs) = (actual.to(dtype: .float64).flatten(), expected.to(dtype: .float64).flatten())
    let values = "\(mine.toArray(of: Double.self)) vs \(theirs.toArray(of: Double.self)) \(comment?.description ?? "")"
    #expect(mine.isnan().equal(theirs.isnan()), "NaN positions differ: \(values)", sourceLocation: sourceLocation)
    #expect((mine .== Double.infinity).equal(theirs .== Double.infinity), "+∞ positions differ: \(values)",
            sourceLocation: sourceLocation)
    let finite = mine.isfinite().logicalAnd(theirs.isfinite()).logicalNot()
    expectClose(mine.maskedFill(finite, 0), theirs.maskedFill(finite, 0), tolerance: tolerance, comment,
                sourceLocation: sourceLocation)
}

@Suite("Image quality metrics")
struct ImageQualityTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture("metrics") }

    // Both sides compute in float64 from the same float32 inputs; only summation order differs
    // (scipy's running-sum box filter vs two average pools), far below the 1e-6 goal.
    @Test("SSIM equals fastMRI's evaluate.ssim (skimage) on odd and even volumes", arguments: ["odd", "even"])
    func ssim(volume: String) throws {
        let (target, prediction) = (fixture.tensor("\(volume).target"), fixture.tensor("\(volume).prediction"))
        let mine = try ImageQuality.ssim(target, prediction)
        #expect(abs(mine - fixture.scalar("\(volume).ssim")) < 1e-10)
        let ranged = try ImageQuality.ssim(target, prediction, dataRange: 2.5)
        #expect(abs(ranged - fixture.scalar("\(volume).ssim_range")) < 1e-10)
    }

    @Test("a batched [batch, channels, H, W] stack gives the volume's SSIM")
    func batchedSSIM() throws {
        let (target, prediction) = (fixture.tensor("odd.target"), fixture.tensor("odd.prediction"))
        let batched = try ImageQuality.ssim(target.unsqueeze(1), prediction.unsqueeze(1))
        #expect(abs(batched - fixture.scalar("odd.ssim")) < 1e-10)
    }

    // Running sums in float64 over ≤ 31 values of O(1) size on both paths.
    @Test("the tensor (CUDA) path's SSIM map equals the CPU kernel's")
    func tensorPathAgrees() {
        let x = fixture.tensor("odd.target").unsqueeze(1).to(dtype: .float64)
        let y = fixture.tensor("odd.prediction").unsqueeze(1).to(dtype: .float64)
        let constants = SSIMConstants(dataRange: 2)
        let cpu = ImageQuality.ssimOnCPU(x, y, constants, keepingMap: true)
        expectClose(ImageQuality.ssimMapWithTensors(x, y, constants), cpu.map, tolerance: 1e-12)
        #expect(abs(cpu.map.sum().item(Double.self) - cpu.total) < 1e-9)
    }

    // Same float64 map as `ssim`; the reference averages skimage's full map over the cropped mask.
    @Test("masked SSIM is the mean of skimage's SSIM map over the cropped mask", arguments: ["odd", "even"])
    func maskedSSIM(volume: String) throws {
        let mine = try ImageQuality.ssim(
            fixture.tensor("\(volume).target"), fixture.tensor("\(volume).prediction"),
            mask: fixture.tensor("\(volume).mask"))
        #expect(abs(mine - fixture.scalar("\(volume).masked_ssim")) < 1e-10)
    }

    // float64 sums of squares of O(1) values over ≤ 2k pixels: relative error ~1e-14.
    @Test("NMSE and PSNR equal fastMRI's", arguments: ["odd", "even"])
    func nmseAndPSNR(volume: String) throws {
        let (target, prediction) = (fixture.tensor("\(volume).target"), fixture.tensor("\(volume).prediction"))
        #expect(abs(try ImageQuality.nmse(target, prediction) - fixture.scalar("\(volume).nmse")) < 1e-12)
        #expect(abs(try ImageQuality.psnr(target, prediction) - fixture.scalar("\(volume).psnr")) < 1e-10)
    }

    // float64 15×15 correlations on both sides.
    @Test("HFEN equals the fspecial('log', 15, 1.5) reference", arguments: ["odd", "even"])
    func hfen(volume: String) throws {
        let mine = try ImageQuality.hfen(fixture.tensor("\(volume).target"), fixture.tensor("\(volume).prediction"))
        #expect(abs(mine - fixture.scalar("\(volume).hfen")) < 1e-10)
    }

    @Test("bad shapes and complex images throw")
    func badInput() {
        let image = Tensor.ones([2, 8, 8])
        #expect(throws: MRIError.self) { try ImageQuality.ssim(image, Tensor.ones([2, 8, 9])) }
        #expect(throws: MRIError.self) { try ImageQuality.ssim(Tensor.ones([2, 6, 8]), Tensor.ones([2, 6, 8])) }
        #expect(throws: MRIError.self) { try ImageQuality.ssim(image, image, mask: Tensor.ones([4, 4])) }
        let complex = Tensor.complex(real: image, imaginary: image)
        #expect(throws: MRIError.self) { try ImageQuality.nmse(complex, complex) }
    }
}

@Suite("Segmentation metrics")
struct SegmentationMetricTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture("metrics") }

    static let cases = ["seg2d", "seg3d"]
    static let confusionMetrics: [(ConfusionMetric, String)] = [
        (.sensitivity, "sensitivity"), (.specificity, "specificity"), (.precision, "precision"),
        (.negativePredictiveValue, "negative_predictive_value"), (.f1, "f1_score"), (.accuracy, "accuracy"),
        (.matthewsCorrelation, "matthews_correlation_coefficient"),
    ]

    func inputs(_ name: String) -> (Tensor, Tensor) {
        (fixture.tensor("\(name).prediction"), fixture.tensor("\(name).target"))
    }

    // MONAI counts in float32: ratios of integer counts below 2^24 are exact to float32 rounding.
    @Test("Dice and IoU equal MONAI's, with and without background and empty-ground-truth rules",
          arguments: cases)
    func diceAndIoU(name: String) throws {
        let (prediction, target) = inputs(name)
        for background in [true, false] {
            for ignore in [true, false] {
                let tag = "\(name).bg\(background ? 1 : 0)"
                let suffix = "ignore\(ignore ? 1 : 0)"
                let dice = try SegmentationMetrics.dice(
                    prediction: prediction, target: target, includeBackground: background, ignoreEmpty: ignore,
                    reduction: .none)
                #expect(dice.shape == [3, background ? 3 : 2])
                expectMatches(dice, fixture.result("\(tag).dice.\(suffix)"), tolerance: 1e-6, "\(tag) dice")
                let iou = try SegmentationMetrics.iou(
                    prediction: prediction, target: target, includeBackground: background, ignoreEmpty: ignore,
                    reduction: .none)
                expectMatches(iou, fixture.result("\(tag).iou.\(suffix)"), tolerance: 1e-6, "\(tag) iou")
            }
        }
    }

    // Counts are integers (exact in float32 and float64); metrics are float32 ratios in MONAI.
    @Test("confusion matrices and their metrics equal MONAI's (per sample and aggregated)", arguments: cases)
    func confusion(name: String) throws {
        let (prediction, target) = inputs(name)
        for background in [true, false] {
            let tag = "\(name).bg\(background ? 1 : 0)"
            let matrix = try SegmentationMetrics.confusionMatrix(
                prediction: prediction, target: target, includeBackground: background)
            expectClose(matrix, fixture.tensor("\(tag).confusion").to(dtype: .float64), tolerance: 0)
            for (metric, key) in Self.confusionMetrics {
                let perSample = try SegmentationMetrics.confusionMetric(
                    metric, prediction: prediction, target: target, includeBackground: background,
                    computeSample: true, reduction: .none)
                expectMatches(perSample, fixture.result("\(tag).\(key).sample"), tolerance: 1e-6, "\(tag) \(key)")
                let aggregate = try SegmentationMetrics.confusionMetric(
                    metric, prediction: prediction, target: target, includeBackground: background)
                expectMatches(aggregate, fixture.result("\(tag).\(key).aggregate"), tolerance: 1e-6,
                              "\(tag) \(key) aggregate")
            }
        }
    }

    // MONAI's distances are float32 (≤ ~20 physical units here): 1e-5 covers their rounding.
    @Test("Hausdorff distance (max and 95th percentile) equals MONAI's with spacing", arguments: cases)
    func hausdorff(name: String) throws {
        let (prediction, target) = inputs(name)
        let spacing: [Double] = name == "seg2d" ? [0.7, 1.3] : [1.5, 0.8, 2.0]
        for background in [true, false] {
            for percentile in [nil, 95.0] as [Double?] {
                for directed in [false, true] {
                    let key = "\(name).bg\(background ? 1 : 0).hd\(percentile.map { "\(Int($0))" } ?? "")"
                        + ".directed\(directed ? 1 : 0)"
                    let distance = try SegmentationMetrics.hausdorffDistance(
                        prediction: prediction, target: target, includeBackground: background,
                        percentile: percentile, directed: directed, spacing: spacing, reduction: .none)
                    expectMatches(distance, fixture.result(key), tolerance: 1e-5, Comment(rawValue: key))
                }
            }
        }
    }

    @Test("average surface distance equals MONAI's, directed and symmetric, with spacing", arguments: cases)
    func averageSurface(name: String) throws {
        let (prediction, target) = inputs(name)
        let spacing: [Double] = name == "seg2d" ? [0.7, 1.3] : [1.5, 0.8, 2.0]
        for background in [true, false] {
            for symmetric in [false, true] {
                let key = "\(name).bg\(background ? 1 : 0).asd.symmetric\(symmetric ? 1 : 0)"
                let distance = try SegmentationMetrics.averageSurfaceDistance(
                    prediction: prediction, target: target, includeBackground: background, symmetric: symmetric,
                    spacing: spacing, reduction: .none)
                expectMatches(distance, fixture.result(key), tolerance: 1e-5, Comment(rawValue: key))
            }
        }
    }

    // Both exact Euclidean transforms in float64.
    @Test("the distance transform equals scipy's distance_transform_edt with anisotropic sampling")
    func distanceTransform() {
        let features = fixture.tensor("edt.features")
        let grid = VoxelGrid(shape: features.shape, spacing: [1.5, 0.8, 2.0])
        let squared = grid.squaredDistanceTransform(of: features.toArray(of: Bool.self))
        let distance = Tensor(squared.map { $0.squareRoot() }, shape: features.shape)
        expectClose(distance, fixture.tensor("edt.distance"), tolerance: 1e-12)
    }

    @Test("reductions equal MONAI's do_metric_reduction, NaN left out and all-NaN giving 0")
    func reductions() {
        let table = fixture.result("reduction.input")
        for reduction in MetricReduction.allCases where reduction != .none {
            expectMatches(reduction.reduce(table), fixture.result("reduction.\(reduction.rawValue)"),
                          tolerance: 1e-6, Comment(rawValue: reduction.rawValue))
        }
    }

    @Test("mismatched shapes, missing classes and bad spacing throw")
    func badInput() {
        let mask = Tensor.ones([1, 2, 4, 4])
        #expect(throws: MRIError.self) {
            try SegmentationMetrics.dice(prediction: mask, target: Tensor.ones([1, 2, 4]))
        }
        #expect(throws: MRIError.self) {
            try SegmentationMetrics.iou(prediction: Tensor.ones([1, 1, 4, 4]), target: Tensor.ones([1, 1, 4, 4]),
                                        includeBackground: false)
        }
        #expect(throws: MRIError.self) {
            try SegmentationMetrics.hausdorffDistance(prediction: mask, target: mask, spacing: [1, 1, 1])
        }
        #expect(throws: MRIError.self) {
            try SegmentationMetrics.hausdorffDistance(prediction: mask, target: mask, percentile: 101)
        }
    }
}

@Suite("Ranking metrics")
struct RankingMetricTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture("metrics") }

    // MONAI and the numpy reference both accumulate in float64 over 40–120 samples.
    @Test("ROC-AUC equals MONAI's compute_roc_auc with tied scores, for every average")
    func rocAUC() throws {
        let (scores, labels) = (fixture.tensor("ranking.scores"), fixture.tensor("ranking.labels"))
        for average in RankingMetrics.Average.allCases {
            let auc = try RankingMetrics.rocAUC(prediction: scores, target: labels, average: average)
            expectMatches(auc, fixture.result("ranking.roc.\(average.rawValue)"), tolerance: 1e-12,
                          Comment(rawValue: average.rawValue))
        }
        let defined = try RankingMetrics.rocAUC(
            prediction: scores[.all, 0..<3], target: labels[.all, 0..<3])
        expectMatches(defined, fixture.result("ranking.roc.defined"), tolerance: 1e-12)
    }

    @Test("average precision equals the step-sum reference, per class and micro")
    func averagePrecision() throws {
        let scores = fixture.tensor("ranking.scores")[.all, 0..<3]
        let labels = fixture.tensor("ranking.labels")[.all, 0..<3]
        let perClass = try RankingMetrics.averagePrecision(prediction: scores, target: labels, average: .none)
        expectMatches(perClass, fixture.result("ranking.ap.none"), tolerance: 1e-12)
        let micro = try RankingMetrics.averagePrecision(prediction: scores, target: labels, average: .micro)
        expectMatches(micro, fixture.result("ranking.ap.micro"), tolerance: 1e-12)
    }

    @Test("a class without positives has no ROC-AUC or average precision")
    func undefinedClass() throws {
        let labels = fixture.tensor("ranking.labels")[.all, 3]
        let scores = fixture.tensor("ranking.scores")[.all, 3]
        #expect(try RankingMetrics.rocAUC(prediction: scores, target: labels).item(Double.self).isNaN)
        #expect(try RankingMetrics.averagePrecision(prediction: scores, target: labels).item(Double.self).isNaN)
    }
}
