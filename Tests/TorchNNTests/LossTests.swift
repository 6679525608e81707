import Testing
@testable import TorchNN
import TorchTestSupport

/// Loss values and input gradients against MONAI 1.6.1, fastMRI 0.3.0 and PyTorch 2.11
/// (`Fixtures/make_loss_fixtures.py`, on `[2, 3, 5, 5]` and `[1, 2, 4, 5, 5]` seeded inputs).
@Suite("Losses")
struct LossTests {
    let fixture: Fixture

    init() throws { fixture = try Fixture("losses") }

    var logits2d: Tensor { fixture.tensor("logits2d") }
    var labels2d: Tensor { fixture.tensor("labels2d") }
    var onehot2d: Tensor { fixture.tensor("onehot2d") }
    var probs2d: Tensor { fixture.tensor("probs2d") }
    var logits3d: Tensor { fixture.tensor("logits3d") }
    var labels3d: Tensor { fixture.tensor("labels3d") }

    /// Expects `loss(inputs)` to match `<name>.out`, and the gradient of `(loss · g).sum()` with respect to
    /// each input to match `<name>.grad.<input>`, `g` being 1 for a scalar loss and `linspace(-1, 1)` shaped
    /// like the loss otherwise (as the script does).
    ///
    /// Tolerance: all tensors are float32 and both sides evaluate the same formulas with the same libtorch
    /// kernels, differing only in the order of a few operations, so the differences are rounding: the largest
    /// seen is 1.6e-7 of the largest expected magnitude (about one float32 ulp; most cases agree exactly).
    /// `relativeTolerance` 1e-6 (8 ulps) leaves room for other kernels' summation orders while a wrong option or
    /// formula moves values by orders of magnitude more (the smoothing terms are checked with large values
    /// in their own case, since at 1e-5 they move a loss by about 1e-6 only).
    func expectCase(
        _ name: String, inputs: [String: Tensor], gradients: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation, _ loss: ([String: Tensor]) -> Tensor
    ) {
        let leaves = inputs.mapValues { gradients ? $0.requiringGrad() : $0 }
        let value = loss(leaves)
        expectRelativelyClose(value, fixture.tensor("\(name).out"), "\(name) value", sourceLocation: sourceLocation)
        guard gradients else { return }
        let upstream = value.rank == 0
            ? Tensor.ones(like: value)
            : Tensor.linspace(-1, 1, steps: value.count, dtype: value.dtype).reshape(value.shape)
        value.backward(gradient: upstream)
        for (key, leaf) in leaves {
            guard let gradient = leaf.grad else {
                Issue.record("\(name): no gradient for \(key)", sourceLocation: sourceLocation)
                continue
            }
            expectRelativelyClose(gradient, fixture.tensor("\(name).grad.\(key)"), "\(name) gradient of \(key)",
                                  sourceLocation: sourceLocation)
        }
    }

    /// `expectCase` for a loss of one input `x`.
    func expectCase(
        _ name: String, x: Tensor, gradients: Bool = true, sourceLocation: SourceLocation = #_sourceLocation,
        _ loss: (Tensor) -> Tensor
    ) {
        expectCase(name, inputs: ["x": x], gradients: gradients, sourceLocation: sourceLocation) { loss($0["x"]!) }
    }

    static let relativeTolerance = 1e-6

    /// `expectClose` within ``relativeTolerance`` of `expected`'s largest magnitude (at least 1e-3, so an
    /// all-zero gradient is still held to 1e-9).
    func expectRelativelyClose(
        _ actual: Tensor, _ expected: Tensor, _ comment: Comment, sourceLocation: SourceLocation
    ) {
        let scale = expected.abs().max().to(dtype: .float64).item(Double.self)
        expectClose(actual, expected, tolerance: Self.relativeTolerance * Swift.max(scale, 1e-3), comment,
                    sourceLocation: sourceLocation)
    }

    // MARK: Dice family

    @Test("Dice: softmax, one-hot target")
    func diceSoftmax() {
        expectCase("dice_softmax_onehot", x: logits2d) { DiceLoss(DiceOptions(activation: .softmax))($0, onehot2d) }
    }

    @Test("Dice: sigmoid, index target, background excluded, summed")
    func diceSigmoidIndexTargetWithoutBackground() {
        let loss = DiceLoss(DiceOptions(includeBackground: false, toOnehotY: true, activation: .sigmoid, reduction: .sum))
        expectCase("dice_sigmoid_labels_nobg_sum", x: logits2d) { loss($0, labels2d) }
    }

    @Test("Dice: batch-wide, squared prediction")
    func diceBatchSquared() {
        let loss = DiceLoss(DiceOptions(toOnehotY: true, activation: .softmax, squaredPred: true, batch: true))
        expectCase("dice_softmax_batch_squared", x: logits2d) { loss($0, labels2d) }
    }

    @Test("Dice: Jaccard with class weights, unreduced [B, C, 1, 1]")
    func jaccardWeightedUnreduced() {
        let loss = DiceLoss(DiceOptions(jaccard: true, reduction: .none, weight: [0.2, 0.3, 0.5]))
        expectCase("dice_probs_jaccard_weight_none", x: probs2d) { loss($0, onehot2d) }
    }

    @Test("Dice: smoothing terms enter numerator and denominator")
    func diceSmoothing() {
        let loss = DiceLoss(DiceOptions(activation: .softmax, reduction: .none, smoothNr: 0.5, smoothDr: 1))
        expectCase("dice_smoothing_none", x: logits2d) { loss($0, onehot2d) }
    }

    @Test("Dice: a custom activation (MONAI's other_act)")
    func diceCustomActivation() {
        expectCase("dice_other_act", x: logits2d) { DiceLoss(DiceOptions(activation: .custom { $0.tanh() }))($0, onehot2d) }
    }

    @Test("Dice: 3-d volume, index target, background excluded (functional form)")
    func dice3d() {
        expectCase("dice3d_softmax_labels_nobg", x: logits3d) {
            Losses.dice($0, labels3d, DiceOptions(includeBackground: false, toOnehotY: true, activation: .softmax))
        }
    }

    @Test("Generalised Dice: square weights with an absent class, softmax")
    func generalizedDiceSquare() {
        let loss = GeneralizedDiceLoss(toOnehotY: true, activation: .softmax)
        expectCase("gdl_square_softmax_labels", x: logits2d) { loss($0, labels2d) }
    }

    @Test("Generalised Dice: simple weights, sigmoid, batch-wide")
    func generalizedDiceSimpleBatch() {
        let loss = GeneralizedDiceLoss(activation: .sigmoid, weightType: .simple, batch: true)
        expectCase("gdl_simple_sigmoid_batch", x: logits2d) { loss($0, onehot2d) }
    }

    @Test("Generalised Dice: uniform weights, background excluded, unreduced")
    func generalizedDiceUniform() {
        let loss = GeneralizedDiceLoss(includeBackground: false, weightType: .uniform, reduction: .none)
        expectCase("gdl_uniform_nobg_none", x: probs2d) { loss($0, onehot2d) }
    }

    @Test("Dice + CE: index target, class weights, term weights")
    func diceCEIndexTarget() {
        let loss = DiceCELoss(
            DiceOptions(toOnehotY: true, activation: .softmax, weight: [0.5, 1, 2]), lambdaDice: 0.4, lambdaCE: 0.6)
        expectCase("dicece_softmax_labels", x: logits2d) { loss($0, labels2d) }
    }

    @Test("Dice + CE: one-hot target, background excluded, label smoothing, summed")
    func diceCEOneHot() {
        let loss = DiceCELoss(
            DiceOptions(includeBackground: false, activation: .softmax, reduction: .sum, weight: [0.5, 1, 2]),
            labelSmoothing: 0.1)
        expectCase("dicece_onehot_nobg_sum", x: logits2d) { loss($0, onehot2d) }
    }

    @Test("Dice + CE: a single channel uses binary cross-entropy with a positive weight")
    func diceCESingleChannel() {
        let target = (labels2d .> 0).to(dtype: .float32)
        let loss = DiceCELoss(DiceOptions(activation: .sigmoid, weight: [2]))
        expectCase("dicece_single_channel", x: logits2d.narrow(dim: 1, start: 0, length: 1).contiguous()) {
            loss($0, target)
        }
    }

    @Test("Focal: sigmoid with alpha")
    func focalSigmoid() {
        expectCase("focal_sigmoid_alpha", x: logits2d) { FocalLoss(alpha: 0.25)($0, onehot2d) }
    }

    @Test("Focal: softmax, index target, class weights, summed")
    func focalSoftmaxWeighted() {
        let loss = FocalLoss(toOnehotY: true, gamma: 1.5, weight: [1, 2, 3], reduction: .sum, useSoftmax: true)
        expectCase("focal_softmax_labels_weight_sum", x: logits2d) { loss($0, labels2d) }
    }

    @Test("Focal: softmax without background ignores a scalar alpha; unreduced")
    func focalSoftmaxUnreduced() {
        let loss = FocalLoss(includeBackground: false, alpha: 0.25, reduction: .none, useSoftmax: true)
        expectCase("focal_softmax_nobg_none", x: logits2d) { loss($0, onehot2d) }
    }

    @Test("Focal: per-class alpha, sigmoid and softmax (kept without the background)")
    func focalClassAlpha() {
        expectCase("focal_sigmoid_class_alpha", x: logits2d) { FocalLoss(alpha: [0.2, 0.3, 0.5])($0, onehot2d) }
        let softmax = FocalLoss(includeBackground: false, alpha: [0.4, 0.6], useSoftmax: true)
        expectCase("focal_softmax_class_alpha_nobg", x: logits2d) { softmax($0, onehot2d) }
    }

    @Test("Focal: 3-d volume, index target (functional form)")
    func focal3d() {
        expectCase("focal3d_sigmoid_labels", x: logits3d) {
            Losses.focal($0, labels3d, toOnehotY: true, gamma: 0.5, alpha: 0.75)
        }
    }

    @Test("Dice + focal: index target, class weights, term weights")
    func diceFocal() {
        let loss = DiceFocalLoss(
            DiceOptions(toOnehotY: true, activation: .softmax, weight: [1, 2, 0.5]), gamma: 2, lambdaDice: 0.7,
            lambdaFocal: 0.3)
        expectCase("dicefocal_softmax_labels", x: logits2d) { loss($0, labels2d) }
    }

    @Test("Tversky: softmax, index target")
    func tversky() {
        let loss = TverskyLoss(toOnehotY: true, activation: .softmax, alpha: 0.3, beta: 0.7)
        expectCase("tversky_softmax_labels", x: logits2d) { loss($0, labels2d) }
    }

    @Test("Tversky: 3-d, sigmoid, batch-wide, unreduced [C]")
    func tversky3dBatch() {
        let loss = TverskyLoss(toOnehotY: true, activation: .sigmoid, alpha: 0.6, beta: 0.4, reduction: .none,
                               batch: true)
        expectCase("tversky3d_sigmoid_batch_none", x: logits3d) { loss($0, labels3d) }
    }

    // MARK: SSIM and VAE

    @Test("SSIM (fastMRI): value and gradients for both images")
    func ssim() {
        let range = fixture.tensor("ssim.range")
        expectCase("ssim", inputs: ["x": fixture.tensor("ssim.x"), "y": fixture.tensor("ssim.y")]) {
            SSIMLoss()($0["x"]!, $0["y"]!, dataRange: range)
        }
    }

    @Test("SSIM (fastMRI): other window and constants, unreduced map")
    func ssimUnreduced() {
        let (target, range) = (fixture.tensor("ssim.y"), fixture.tensor("ssim.range"))
        expectCase("ssim_win5_unreduced", x: fixture.tensor("ssim.x")) {
            SSIMLoss(winSize: 5, k1: 0.02, k2: 0.05)($0, target, dataRange: range, reduced: false)
        }
    }

    @Test("SSIM as a Loss takes each item's range from its target's maximum")
    func ssimTargetRange() {
        let target = fixture.tensor("ssim.y")
        let loss: any Loss = SSIMLoss()
        expectCase("ssim_target_range", x: fixture.tensor("ssim.x")) { loss($0, target) }
    }

    @Test("VAE regulariser (Myronenko 2018) with the paper's weights and with others")
    func vaeRegularizer() {
        let image = fixture.tensor("vae.image")
        let losses = [
            ("vae", VAERegularizationLoss()), ("vae_weights", VAERegularizationLoss(l2Weight: 1, klWeight: 0.5)),
        ]
        for (name, loss) in losses {
            let inputs = ["reconstruction": fixture.tensor("vae.reconstruction"), "mean": fixture.tensor("vae.mean"),
                          "std": fixture.tensor("vae.std")]
            expectCase(name, inputs: inputs) {
                loss(reconstruction: $0["reconstruction"]!, image: image, mean: $0["mean"]!, std: $0["std"]!)
            }
        }
    }

    // MARK: Combinations and PyTorch module forms

    @Test("0.3·Dice + 0.7·BCE, by operators and by WeightedSum")
    func weightedSum() {
        let byOperators = 0.3 * DiceLoss(DiceOptions(activation: .sigmoid)) + 0.7 * BCEWithLogitsLoss()
        let byList = WeightedSum([(0.3, DiceLoss(DiceOptions(activation: .sigmoid))), (0.7, BCEWithLogitsLoss())])
        #expect(byOperators.terms.count == 2)
        for loss in [byOperators, byList] {
            expectCase("dice_bce_weighted", x: logits2d) { loss($0, onehot2d) }
        }
    }

    @Test("PyTorch loss modules pass their options on")
    func pyTorchModules() {
        let indices = labels2d.squeeze(dim: 1).to(dtype: .int64)
        let cases: [(String, any Loss, Tensor, Tensor)] = [
            ("torch_l1", L1Loss(reduction: .sum), logits2d, probs2d),
            ("torch_mse", MSELoss(), logits2d, probs2d),
            ("torch_smooth_l1", SmoothL1Loss(beta: 0.5), logits2d, probs2d),
            ("torch_huber", HuberLoss(reduction: .sum, delta: 0.5), logits2d, probs2d),
            ("torch_bce", BCELoss(weight: Tensor([Float(0.5)])), probs2d, onehot2d),
            ("torch_bce_logits", BCEWithLogitsLoss(posWeight: Tensor([Float(1), 2, 3], shape: [3, 1, 1])), logits2d,
             onehot2d),
            ("torch_cross_entropy", CrossEntropyLoss(weight: Tensor([Float(0.5), 1, 2]), labelSmoothing: 0.1),
             logits2d, indices),
            ("torch_nll", NLLLoss(ignoreIndex: 1, reduction: .sum), Functional.logSoftmax(logits2d, dim: 1), indices),
        ]
        for (name, loss, input, target) in cases {
            expectCase(name, x: input, gradients: false) { loss($0, target) }
        }
    }
}
