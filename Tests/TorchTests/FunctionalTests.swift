import Testing

@testable import Torch
import TorchTestSupport

/// Convolutions accumulate up to 54 float32 products of O(1) values into outputs of O(10); a
/// different summation order (oneDNN blocking, thread count) moves the result by a few ulps of
/// O(10) values, about 1e-6, so 2e-5 leaves margin without hiding a wrong tap or offset (O(1)).
private let convolutionTolerance = 2e-5
/// Pooling, interpolation and grid sampling weight a handful of O(1) values: float32 rounding of
/// the weights and sums stays below 1e-6; gradients accumulate a few such terms.
private let resamplingTolerance = 2e-6
/// Normalisation divides by a standard deviation estimated from 18–100 values in float32;
/// relative errors of ~1e-6 on O(1) outputs and O(10) gradient sums give this bound.
private let normalizationTolerance = 1e-5
/// Elementwise activations and losses: a few float32 operations per element (or a mean of ≤ 20).
private let elementwiseTolerance = 1e-6

@Suite("Functional: convolution")
struct ConvolutionTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture("functional_convolution_fixtures") }

    @Test("conv1d/2d/3d with stride, padding, dilation and groups match PyTorch, with gradients")
    func convolutions() {
        expectFixtureCase(fixture, "conv1d", inputs: ["x", "w", "b"], tolerance: convolutionTolerance) {
            Functional.conv1d($0["x"]!, weight: $0["w"]!, bias: $0["b"]!, stride: [2], padding: [1], dilation: [2])
        }
        expectFixtureCase(fixture, "conv2d", inputs: ["x", "w", "b"], tolerance: convolutionTolerance) {
            Functional.conv2d($0["x"]!, weight: $0["w"]!, bias: $0["b"]!, stride: [2, 1], padding: [1, 2],
                              dilation: [1, 2], groups: 2)
        }
        expectFixtureCase(fixture, "conv3d", inputs: ["x", "w", "b"], tolerance: convolutionTolerance) {
            Functional.conv3d($0["x"]!, weight: $0["w"]!, bias: $0["b"]!, padding: [1])
        }
    }

    @Test("transposed convolutions with outputPadding and groups match PyTorch, with gradients")
    func transposedConvolutions() {
        expectFixtureCase(fixture, "convTranspose1d", inputs: ["x", "w", "b"], tolerance: convolutionTolerance) {
            Functional.convTranspose1d($0["x"]!, weight: $0["w"]!, bias: $0["b"]!, stride: [3], padding: [1],
                                       outputPadding: [2])
        }
        expectFixtureCase(fixture, "convTranspose2d", inputs: ["x", "w", "b"], tolerance: convolutionTolerance) {
            Functional.convTranspose2d($0["x"]!, weight: $0["w"]!, bias: $0["b"]!, stride: [2], padding: [1],
                                       outputPadding: [1], groups: 2)
        }
        expectFixtureCase(fixture, "convTranspose3d", inputs: ["x", "w"], tolerance: convolutionTolerance) {
            Functional.convTranspose3d($0["x"]!, weight: $0["w"]!, stride: [1, 2, 2], padding: [1])
        }
    }
}

@Suite("Functional: pooling")
struct PoolingTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture("functional_pooling_fixtures") }

    @Test("max pooling (padding, ceil mode, dilation, 3-d) matches PyTorch, with gradients")
    func maxPooling() {
        expectFixtureCase(fixture, "maxPool2d", inputs: ["x"], tolerance: 0, gradientTolerance: resamplingTolerance) {
            Functional.maxPool2d($0["x"]!, kernelSize: [3], stride: [2], padding: [1], ceilMode: true)
        }
        expectFixtureCase(fixture, "maxPool2d.dilated", inputs: ["x"], tolerance: 0,
                          gradientTolerance: resamplingTolerance) {
            Functional.maxPool2d($0["x"]!, kernelSize: [2], stride: [1], dilation: [2])
        }
        expectFixtureCase(fixture, "maxPool3d", inputs: ["x"], tolerance: 0, gradientTolerance: resamplingTolerance) {
            Functional.maxPool3d($0["x"]!, kernelSize: [2])
        }
        expectFixtureCase(fixture, "adaptiveMaxPool2d", inputs: ["x"], tolerance: 0,
                          gradientTolerance: resamplingTolerance) {
            Functional.adaptiveMaxPool2d($0["x"]!, outputSize: [3, 4])
        }
        expectFixtureCase(fixture, "adaptiveMaxPool3d", inputs: ["x"], tolerance: 0,
                          gradientTolerance: resamplingTolerance) {
            Functional.adaptiveMaxPool3d($0["x"]!, outputSize: [3, 2, 4])
        }
        expectFixtureCase(fixture, "maxPool1d", inputs: ["x"], tolerance: 0, gradientTolerance: resamplingTolerance) {
            Functional.maxPool1d($0["x"]!, kernelSize: [3], stride: [2], padding: [1])
        }
    }

    @Test("2×2 max pooling of float32 images (the shim's kernel) equals libtorch's on float64: ties, NaN, odd sizes")
    func maxPool2x2() {
        // ReLU outputs tie at 0; NaN and -∞ in the windows and the wide blocks' tails; odd sizes
        // leave a last row and column no window reads.
        for (index, shape) in [[2, 3, 7, 9], [1, 2, 6, 42], [3, 2, 2, 2]].enumerated() {
            var values = Tensor.randn(shape, generator: Generator(seed: UInt64(10 + index))).relu()
                .toArray(of: Float.self)
            for (position, value) in [(1, Float.nan), (2, -.infinity), (3, -.infinity), (9, .nan), (10, .nan)]
            where position < values.count {
                values[position] = value
            }
            values[values.count - 1] = .nan
            let image = Tensor(values, shape: shape)
            #expect(Functional.maxPool2x2Applies(image, kernelSize: [2], stride: nil, padding: [0], dilation: [1],
                                                 ceilMode: false))
            let reference = image.to(dtype: .float64).requiringGrad()
            let input = image.requiringGrad()
            let expected = Functional.maxPool2d(reference, kernelSize: [2])
            let pooled = Functional.maxPool2d(input, kernelSize: [2, 2], stride: [2])
            #expect(pooled.shape == expected.shape)
            #expect(pooled.isnan().equal(expected.isnan()), "NaN positions, \(shape)")
            #expect(pooled.nanToNum().to(dtype: .float64).equal(expected.nanToNum()), "values, \(shape)")
            let gradient = Tensor.randn(expected.shape, generator: Generator(seed: 5))
            expected.backward(gradient: gradient.to(dtype: .float64))
            pooled.backward(gradient: gradient)
            #expect(input.grad!.to(dtype: .float64).equal(reference.grad!), "gradients, \(shape)")
        }
        let even = Tensor.randn([1, 1, 4, 4])
        #expect(Functional.maxPool2x2Applies(even, kernelSize: [2], stride: nil, padding: [0], dilation: [1],
                                             ceilMode: true))
        for (input, ceilMode) in [(Tensor.randn([1, 1, 5, 4]), true), (even.to(dtype: .float64), false),
                                  (even.contiguous(memoryFormat: .channelsLast).expand([1, 2, 4, 4]), false)] {
            #expect(!Functional.maxPool2x2Applies(input, kernelSize: [2], stride: nil, padding: [0], dilation: [1],
                                                  ceilMode: ceilMode))
        }
        #expect(!Functional.maxPool2x2Applies(even, kernelSize: [2], stride: [1], padding: [0], dilation: [1],
                                              ceilMode: false))
    }

    @Test("average pooling (countIncludePad, ceil mode, divisorOverride, adaptive) matches PyTorch")
    func averagePooling() {
        expectFixtureCase(fixture, "avgPool2d", inputs: ["x"], tolerance: resamplingTolerance) {
            Functional.avgPool2d($0["x"]!, kernelSize: [3], stride: [2], padding: [1], countIncludePad: false)
        }
        expectFixtureCase(fixture, "avgPool2d.ceil", inputs: ["x"], tolerance: resamplingTolerance) {
            Functional.avgPool2d($0["x"]!, kernelSize: [2, 3], ceilMode: true, divisorOverride: 4)
        }
        expectFixtureCase(fixture, "avgPool3d", inputs: ["x"], tolerance: resamplingTolerance) {
            Functional.avgPool3d($0["x"]!, kernelSize: [2], stride: [1, 2, 2], padding: [1])
        }
        expectFixtureCase(fixture, "adaptiveAvgPool2d", inputs: ["x"], tolerance: resamplingTolerance) {
            Functional.adaptiveAvgPool2d($0["x"]!, outputSize: [3, 2])
        }
        expectFixtureCase(fixture, "adaptiveAvgPool3d", inputs: ["x"], tolerance: resamplingTolerance) {
            Functional.adaptiveAvgPool3d($0["x"]!, outputSize: [2, 4, 3])
        }
        expectFixtureCase(fixture, "avgPool1d", inputs: ["x"], tolerance: resamplingTolerance) {
            Functional.avgPool1d($0["x"]!, kernelSize: [4], stride: [2], ceilMode: true, countIncludePad: false)
        }
        expectFixtureCase(fixture, "adaptiveAvgPool1d", inputs: ["x"], tolerance: resamplingTolerance) {
            Functional.adaptiveAvgPool1d($0["x"]!, outputSize: [4])
        }
    }
}

@Suite("Functional: interpolation")
struct InterpolationTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture("functional_interpolation_fixtures") }

    @Test("interpolate matches torch.nn.functional.interpolate in every mode, with gradients", arguments: [
        ("nearestSize", [7, 8], nil, InterpolationMode.nearest, nil),
        ("nearestScale", nil, [1.7], .nearest, nil),
        ("nearestExact", [3, 8], nil, .nearestExact, nil),
        ("bilinear", nil, [1.5], .bilinear, nil),
        ("bilinearAligned", [6, 9], nil, .bilinear, true),
        ("bicubic", [6, 7], nil, .bicubic, nil),
        ("linear", nil, [2.5], .linear, true),
        ("trilinear", nil, [2.0, 1.5, 1.0], .trilinear, nil),
    ] as [(String, [Int]?, [Double]?, InterpolationMode, Bool?)])
    func interpolate(name: String, size: [Int]?, scale: [Double]?, mode: InterpolationMode, alignCorners: Bool?) {
        expectFixtureCase(fixture, "interpolate.\(name)", inputs: ["x"], tolerance: resamplingTolerance) {
            Functional.interpolate($0["x"]!, size: size, scaleFactor: scale, mode: mode, alignCorners: alignCorners)
        }
    }
}

@Suite("Functional: normalisation, activations and losses")
struct NormalizationActivationLossTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture("functional_norm_activation_loss_fixtures") }

    @Test("batchNorm in training uses batch statistics and updates the running statistics in place")
    func batchNormTraining() {
        let runningMean = fixture.tensor("batchNorm.train.runningMean0")
        let runningVar = fixture.tensor("batchNorm.train.runningVar0")
        expectFixtureCase(fixture, "batchNorm.train", inputs: ["x", "w", "b"], tolerance: normalizationTolerance) {
            Functional.batchNorm($0["x"]!, runningMean: runningMean, runningVar: runningVar, weight: $0["w"]!,
                                 bias: $0["b"]!, training: true, momentum: 0.2, eps: 1e-3)
        }
        expectClose(runningMean, fixture.tensor("batchNorm.train.runningMean"), tolerance: elementwiseTolerance)
        expectClose(runningVar, fixture.tensor("batchNorm.train.runningVar"), tolerance: elementwiseTolerance)
    }

    @Test("batchNorm in evaluation uses and keeps the running statistics")
    func batchNormEvaluation() {
        let runningMean = fixture.tensor("batchNorm.eval.runningMean")
        let runningVar = fixture.tensor("batchNorm.eval.runningVar")
        expectFixtureCase(fixture, "batchNorm.eval", inputs: ["x", "w", "b"], tolerance: normalizationTolerance) {
            Functional.batchNorm($0["x"]!, runningMean: runningMean, runningVar: runningVar, weight: $0["w"]!,
                                 bias: $0["b"]!, training: false)
        }
        expectClose(runningMean, fixture.tensor("batchNorm.eval.runningMean"), tolerance: 0)
        expectClose(runningVar, fixture.tensor("batchNorm.eval.runningVar"), tolerance: 0)
    }

    @Test("groupNorm, instanceNorm and layerNorm match PyTorch, with gradients")
    func otherNorms() {
        expectFixtureCase(fixture, "groupNorm", inputs: ["x", "w", "b"], tolerance: normalizationTolerance) {
            Functional.groupNorm($0["x"]!, numGroups: 3, weight: $0["w"]!, bias: $0["b"]!)
        }
        expectFixtureCase(fixture, "instanceNorm", inputs: ["x", "w", "b"], tolerance: normalizationTolerance) {
            Functional.instanceNorm($0["x"]!, weight: $0["w"]!, bias: $0["b"]!)
        }
        expectFixtureCase(fixture, "layerNorm", inputs: ["x", "w", "b"], tolerance: normalizationTolerance) {
            Functional.layerNorm($0["x"]!, normalizedShape: [3, 4], weight: $0["w"]!, bias: $0["b"]!)
        }
    }

    @Test("activations match PyTorch, with gradients", arguments: [
        "relu", "leakyRelu", "elu", "selu", "gelu", "gelu.tanh", "silu", "softplus", "hardtanh", "softmax",
        "logSoftmax",
    ])
    func activation(name: String) {
        let activations: [String: (Tensor) -> Tensor] = [
            "relu": { Functional.relu($0) },
            "leakyRelu": { Functional.leakyRelu($0, negativeSlope: 0.2) },
            "elu": { Functional.elu($0, alpha: 0.7) },
            "selu": { Functional.selu($0) },
            "gelu": { Functional.gelu($0) },
            "gelu.tanh": { Functional.gelu($0, approximate: .tanh) },
            "silu": { Functional.silu($0) },
            "softplus": { Functional.softplus($0, beta: 2, threshold: 5) },
            "hardtanh": { Functional.hardtanh($0, minValue: -0.5, maxValue: 1.5) },
            "softmax": { Functional.softmax($0, dim: 1) },
            "logSoftmax": { Functional.logSoftmax($0, dim: 0) },
        ]
        // Inputs reach |x| ≈ 6, where selu/elu are O(1) but softplus and exp-based gradients are O(10).
        expectFixtureCase(fixture, name, inputs: ["x"], tolerance: 2 * elementwiseTolerance) {
            activations[name]!($0["x"]!)
        }
    }

    @Test("instanceNorm updates running statistics from input statistics, or normalises with them")
    func instanceNormRunningStatistics() {
        let runningMean = fixture.tensor("instanceNorm.running.runningMean0")
        let runningVar = fixture.tensor("instanceNorm.running.runningVar0")
        expectFixtureCase(fixture, "instanceNorm.running", inputs: ["x"], tolerance: normalizationTolerance) {
            Functional.instanceNorm($0["x"]!, runningMean: runningMean, runningVar: runningVar, momentum: 0.3)
        }
        expectClose(runningMean, fixture.tensor("instanceNorm.running.runningMean"), tolerance: elementwiseTolerance)
        expectClose(runningVar, fixture.tensor("instanceNorm.running.runningVar"), tolerance: elementwiseTolerance)
        expectFixtureCase(fixture, "instanceNorm.eval", inputs: ["x"], tolerance: normalizationTolerance) {
            Functional.instanceNorm($0["x"]!, runningMean: fixture.tensor("instanceNorm.running.runningMean0"),
                                    runningVar: fixture.tensor("instanceNorm.running.runningVar0"),
                                    useInputStats: false)
        }
    }

    @Test("prelu learns one slope per channel")
    func prelu() {
        expectFixtureCase(fixture, "prelu", inputs: ["x", "w"], tolerance: elementwiseTolerance) {
            Functional.prelu($0["x"]!, weight: $0["w"]!)
        }
    }

    @Test("binary cross-entropy (probabilities and logits, weights, posWeight, reductions) matches PyTorch")
    func binaryCrossEntropy() {
        let weight = Tensor([1, 2, 0.5] as [Float])
        expectFixtureCase(fixture, "bce", inputs: ["x", "t"], differentiable: ["x"], tolerance: elementwiseTolerance) {
            Functional.binaryCrossEntropy($0["x"]!, target: $0["t"]!, weight: weight)
        }
        // A sum of 12 terms of O(1) carries 10× an element's rounding.
        expectFixtureCase(fixture, "bce.sum", inputs: ["x", "t"], differentiable: ["x"],
                          tolerance: 10 * elementwiseTolerance) {
            Functional.binaryCrossEntropy($0["x"]!, target: $0["t"]!, reduction: .sum)
        }
        expectFixtureCase(fixture, "bceLogits", inputs: ["x", "t", "pw"], differentiable: ["x"],
                          tolerance: elementwiseTolerance) {
            Functional.binaryCrossEntropyWithLogits($0["x"]!, target: $0["t"]!, posWeight: $0["pw"]!)
        }
        expectFixtureCase(fixture, "bceLogits.none", inputs: ["x", "t"], differentiable: ["x"],
                          tolerance: elementwiseTolerance) {
            Functional.binaryCrossEntropyWithLogits($0["x"]!, target: $0["t"]!, reduction: .none)
        }
    }

    @Test("cross-entropy (indices, probabilities, weights, ignoreIndex, label smoothing, spatial) matches PyTorch")
    func crossEntropy() {
        let weight = fixture.tensor("classWeight")
        expectFixtureCase(fixture, "crossEntropy", inputs: ["x", "t"], differentiable: ["x"],
                          tolerance: elementwiseTolerance) { Functional.crossEntropy($0["x"]!, target: $0["t"]!) }
        expectFixtureCase(fixture, "crossEntropy.weighted", inputs: ["x", "t"], differentiable: ["x"],
                          tolerance: elementwiseTolerance) {
            Functional.crossEntropy($0["x"]!, target: $0["t"]!, weight: weight, labelSmoothing: 0.1)
        }
        expectFixtureCase(fixture, "crossEntropy.ignore2", inputs: ["x", "t"], differentiable: ["x"],
                          tolerance: 10 * elementwiseTolerance) {
            Functional.crossEntropy($0["x"]!, target: $0["t"]!, ignoreIndex: 2, reduction: .sum)
        }
        expectFixtureCase(fixture, "crossEntropy.probabilities", inputs: ["x", "t"], differentiable: ["x"],
                          tolerance: elementwiseTolerance) {
            Functional.crossEntropy($0["x"]!, target: $0["t"]!, labelSmoothing: 0.2)
        }
        expectFixtureCase(fixture, "crossEntropy.spatial", inputs: ["x", "t"], differentiable: ["x"],
                          tolerance: elementwiseTolerance) {
            Functional.crossEntropy($0["x"]!, target: $0["t"]!, reduction: .none)
        }
        expectFixtureCase(fixture, "nllLoss", inputs: ["x", "t"], differentiable: ["x"],
                          tolerance: elementwiseTolerance) {
            Functional.nllLoss($0["x"]!, target: $0["t"]!, weight: weight)
        }
    }

    @Test("regression losses (L1, MSE, smooth L1, Huber) match PyTorch, with gradients")
    func regressionLosses() {
        let cases: [(String, (Tensor, Tensor) -> Tensor)] = [
            ("l1Loss", { Functional.l1Loss($0, target: $1) }),
            ("mseLoss", { Functional.mseLoss($0, target: $1, reduction: .sum) }),
            ("mseLoss.none", { Functional.mseLoss($0, target: $1, reduction: .none) }),
            ("smoothL1Loss", { Functional.smoothL1Loss($0, target: $1, beta: 0.5) }),
            ("huberLoss", { Functional.huberLoss($0, target: $1, delta: 0.7) }),
        ]
        for (name, loss) in cases {
            // The summed MSE adds 12 squares of O(1): 1e-5 covers float32 rounding of the sum.
            expectFixtureCase(fixture, name, inputs: ["x", "t"], differentiable: ["x"], tolerance: 1e-5) {
                loss($0["x"]!, $0["t"]!)
            }
        }
    }
}

@Suite("Functional: grid sampling")
struct GridSampleTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture("functional_grid_sample_fixtures") }

    @Test("affineGrid matches PyTorch with and without alignCorners, with gradients")
    func affineGrid() {
        expectFixtureCase(fixture, "affineGrid", inputs: ["theta"], tolerance: resamplingTolerance) {
            Functional.affineGrid($0["theta"]!, size: [1, 2, 3, 4])
        }
        expectFixtureCase(fixture, "affineGrid.aligned", inputs: ["theta"], tolerance: resamplingTolerance) {
            Functional.affineGrid($0["theta"]!, size: [1, 2, 3, 4], alignCorners: true)
        }
    }

    @Test("gridSample matches PyTorch across modes and padding modes, with gradients", arguments: [
        (GridSampleMode.bilinear, GridSamplePadding.zeros, false), (.bilinear, .border, true),
        (.bilinear, .reflection, false), (.nearest, .zeros, true), (.nearest, .reflection, true),
        (.bicubic, .border, false),
    ])
    func gridSample(mode: GridSampleMode, padding: GridSamplePadding, alignCorners: Bool) {
        let name = "gridSample.\(mode).\(padding).\(alignCorners ? "True" : "False")"
        // Grid gradients scale by half the input size (up to 2.5) and bicubic sums 16 taps: 1e-5.
        expectFixtureCase(fixture, name, inputs: ["x", "grid"], differentiable: mode == .nearest ? ["x"] : nil,
                          tolerance: resamplingTolerance, gradientTolerance: 1e-5) {
            Functional.gridSample($0["x"]!, grid: $0["grid"]!, mode: mode, paddingMode: padding,
                                  alignCorners: alignCorners)
        }
    }

    @Test("gridSample samples volumes with a 3-d grid")
    func gridSample3d() {
        expectFixtureCase(fixture, "gridSample3d", inputs: ["x", "grid"], tolerance: resamplingTolerance,
                          gradientTolerance: 1e-5) {
            Functional.gridSample($0["x"]!, grid: $0["grid"]!)
        }
    }
}

extension ProcessWideTests {
    /// Dropout draws random masks, so it is checked statistically, not against PyTorch's draws.
    @Suite("Functional: dropout")
    struct DropoutTests {
        let ones = Tensor([Float](repeating: 1, count: 20 * 50 * 16), shape: [20, 50, 4, 4])

        @Test("dropout and channel dropout are the identity in evaluation")
        func evaluationIsIdentity() {
            expectClose(Functional.dropout(ones, p: 0.3, training: false), ones, tolerance: 0)
            expectClose(Functional.dropout2d(ones, p: 0.3, training: false), ones, tolerance: 0)
            expectClose(Functional.alphaDropout(ones, p: 0.3, training: false), ones, tolerance: 0)
        }

        /// The zero count of 16,000 Bernoulli(0.3) draws has standard deviation √(0.3·0.7/16000) ≈ 0.0036
        /// as a fraction; 0.02 is 5.5 σ, so a correct dropout fails this with probability < 1e-7.
        @Test("dropout zeroes about p of the elements and scales the rest by 1/(1-p)")
        func dropoutStatistics() {
            let values = Functional.dropout(ones, p: 0.3, training: true).toArray(of: Float.self)
            let zeros = values.filter { $0 == 0 }.count
            #expect(abs(Double(zeros) / Double(values.count) - 0.3) < 0.02)
            #expect(values.allSatisfy { $0 == 0 || abs($0 - Float(1 / 0.7)) < 1e-6 })
        }

        /// Alpha dropout maps a constant input to two values (kept: a·1 + b, dropped: a·α' + b); the
        /// dropped fraction of 16,000 draws is within 5.5 σ of p, as for `dropout`.
        @Test("alphaDropout replaces about p of the elements by one value and maps the rest affinely")
        func alphaDropoutStatistics() {
            let values = Functional.alphaDropout(ones, p: 0.3, training: true).toArray(of: Float.self)
            let distinct = Set(values)
            #expect(distinct.count == 2)
            // SELU's negative saturation value is below any affine image of 1, so the smaller value is the dropped one.
            let dropped = values.filter { $0 == distinct.min() }.count
            #expect(abs(Double(dropped) / Double(values.count) - 0.3) < 0.02)
        }

        /// 1,000 channels: σ of the dropped fraction is √(0.3·0.7/1000) ≈ 0.0145; 0.07 is 4.8 σ (p < 2e-6).
        @Test("dropout2d zeroes whole channels, about p of them, and scales the rest by 1/(1-p)")
        func channelDropoutStatistics() {
            let output = Functional.dropout2d(ones, p: 0.3, training: true).flatten(startDim: 2)
            let channelMax = output.amax(dim: [2]).toArray(of: Float.self)
            let channelMin = output.amin(dim: [2]).toArray(of: Float.self)
            #expect(channelMax == channelMin, "each channel is all zero or all kept")
            let dropped = channelMax.filter { $0 == 0 }.count
            #expect(abs(Double(dropped) / Double(channelMax.count) - 0.3) < 0.07)
            #expect(channelMax.allSatisfy { $0 == 0 || abs($0 - Float(1 / 0.7)) < 1e-6 })
            let volumes = Functional.dropout3d(ones.unsqueeze(2), p: 0.3, training: true)
            #expect(volumes.shape == [20, 50, 1, 4, 4])
            let zeroCount = (volumes .== 0).sum().item(Int.self)
            #expect(zeroCount % 16 == 0 && zeroCount > 0, "dropout3d zeroes whole channels")
        }
    }
}
