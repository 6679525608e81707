import Foundation

/// Trains a segmentation network on LGG slices, BraTS cases or an nnU-Net dataset as a recipe
/// describes: augmented training samples (random crops of volumes), the recipe's loss (plus the
/// VAE regulariser of SegResNetVAE), and validation on whole held-out images — slices grouped into
/// patient volumes, volumes by sliding window — reporting Dice per region or class (MONAI's
/// `DiceMetric`, empty ground truth left out) and writing an image | truth | prediction panel.
public final class SegmentationTraining: TrainingTask {
    /// The recipe this run follows.
    public let recipe: SegmentationRecipe
    /// The data, split.
    public let source: SegmentationSource
    /// The network.
    public let network: SegmentationNetwork
    /// The trainer (resume it before `run` to continue a run).
    public let trainer: Trainer<Module>
    /// Whole-image prediction for validation.
    public let predictor: SegmentationPredictor
    let trainingLoader: DataLoader<SegmentationCases, SegmentationSample>

    /// The network's name in the recipe.
    public var modelName: String { recipe.model.name.rawValue }
    /// Where checkpoints, logs and figures go.
    public var output: String { recipe.output }

    /// Lists the data, builds the network (weights seeded by the recipe), optimizer, schedule and
    /// trainer. With `processGroup`, trains data-parallel: each rank reads its `DistributedSampler`
    /// share of an epoch (with lesion weights: its own weighted draw of that many slices), gradients
    /// are averaged across ranks, and rank 0 alone writes checkpoints and panels.
    /// - Throws: `DataError` for unreadable data, `TrainingError.configuration` when the network's
    ///   output channels or the loss do not fit the data.
    public init(recipe: SegmentationRecipe, processGroup: ProcessGroup? = nil) throws {
        self.recipe = recipe
        source = try SegmentationSource(recipe.data, seed: recipe.training.seed)
        let kind = source.kind
        guard recipe.model.outChannels == kind.outputChannels else {
            throw TrainingError.configuration(
                field: "model.out_channels",
                allowed: "\(kind.outputChannels) for \(recipe.data.format.rawValue) data (\(Self.describe(kind)))")
        }
        let loss = recipe.training.loss
        if case .classes = kind, loss == "bce" || loss == "dice_bce" {
            throw TrainingError.configuration(field: "training.loss", allowed: "dice or dice_ce for exclusive classes")
        }
        manualSeed(recipe.training.seed)
        network = try recipe.model.make(patchSize: recipe.data.patchSize)
        predictor = try recipe.predictor(for: network)
        let data = recipe.data
        let seed = recipe.training.seed
        let sampler: (any Sampler)?
        if let weights = source.trainingWeights {
            let share = processGroup.map { (weights.count + $0.worldSize - 1) / $0.worldSize } ?? weights.count
            sampler = try WeightedRandomSampler(weights: weights, count: share, seed: seed &+ UInt64(processGroup?.rank ?? 0))
        } else {
            let count = source.training.count
            sampler = try processGroup.map {
                try DistributedSampler(count: count, rank: $0.rank, worldSize: $0.worldSize, seed: seed)
            }
        }
        trainingLoader = DataLoader(
            source.training, batchSize: data.batchSize, shuffle: true, sampler: sampler, workers: data.workers,
            seed: recipe.training.seed, skipBadSamples: data.skipBadSamples)
        trainer = try recipe.training.makeTrainer(model: network.module, batchesPerEpoch: trainingLoader.batchCount())
        trainer.dataParallel = try processGroup.map { try DataParallel(network.module, processGroup: $0) }
    }

    /// Trains (continuing from the trainer's state, e.g. after `trainer.resume(from:)`).
    @discardableResult
    public func run() throws -> TrainingHistory {
        let loss = makeLoss()
        let network = network
        return try trainer.fit(
            batchesPerEpoch: trainingLoader.batchCount(),
            trainingBatches: { epoch, body in
                let batches = trainingLoader.makeEpoch(epoch)
                while let batch = try batches.next() { try body(batch) }
            },
            loss: { _, batch in
                // Noise from the global generator, which checkpoints save and restore.
                let (scores, regularization) = network.forward(batch.image, nil)
                let value = loss(scores, batch.target)
                return regularization.map { value + $0 } ?? value
            },
            validate: { _ in try self.validate() })
    }

    /// The recipe's loss of scores against targets.
    func makeLoss() -> (Tensor, Tensor) -> Tensor {
        let options = recipe.lossOptions
        let probabilities = network.outputsProbabilities
        let classes: Bool = if case .classes = source.kind { true } else { false }
        let dice = DiceLoss(DiceOptions(
            includeBackground: !classes, toOnehotY: classes,
            activation: probabilities ? .none : classes ? .softmax : .sigmoid, squaredPred: options.squared,
            smoothNr: options.smooth, smoothDr: options.smooth, batch: options.batch))
        let bce: any Loss = probabilities ? BCELoss() : BCEWithLogitsLoss()
        let weight = options.diceWeight
        switch recipe.training.loss {
        case "dice": return { dice($0, $1) }
        case "bce": return { bce($0, $1) }
        case "dice_bce": return { weight * dice($0, $1) + (1 - weight) * bce($0, $1) }
        default:
            let diceCE = DiceCELoss(dice.options, lambdaDice: weight, lambdaCE: 1 - weight)
            return { diceCE($0, $1) }
        }
    }

    /// Dice per region or class and their mean over the validation images (2-D slices grouped
    /// into their patients' volumes); writes the sample panel of this epoch.
    func validate() throws -> [String: Double] {
        let report = try predictor.evaluate(
            source.validation, method: "network", skipBadSamples: recipe.data.skipBadSamples
        ) { name, image, target, masks in
            if name == source.validation.groups.first, trainer.dataParallel?.isLeader ?? true {
                try writePanel(image: image, target: target, masks: masks)
            }
        }
        return report.summary(of: "network").mapValues(\.mean)
    }

    /// The panel image | truth | prediction of the first validation volume, at its slice with the
    /// most foreground, as `<output>/samples/epoch_NNN.png`.
    private func writePanel(image: Tensor, target: Tensor, masks: Tensor) throws {
        let kind = source.kind
        let panel = SegmentationOverlay.volumePanel(
            image: image[0], truth: kind.labelMap(target.unsqueeze(0))[0], prediction: kind.labelMap(masks.unsqueeze(0))[0])
        let folder = URL(fileURLWithPath: recipe.output).appendingPathComponent("samples")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try PNGFile.write(panel, to: folder.appendingPathComponent(String(format: "epoch_%03d.png", trainer.completedEpochs + 1)))
    }

    private static func describe(_ kind: SegmentationTargetKind) -> String {
        switch kind {
        case .regions(let names): "regions " + names.joined(separator: ", ")
        case .classes(let names): "classes " + names.joined(separator: ", ")
        }
    }
}
