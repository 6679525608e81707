extension Trainer {
    /// Trains on the batches of `loader` (its epoch `e` for the trainer's epoch `e`, so a resumed
    /// run sees the batches an uninterrupted one would); `loss` and `validate` as in
    /// ``fit(batchesPerEpoch:trainingBatches:loss:validate:)``.
    @discardableResult
    public func fit<Source, Batch>(
        _ loader: DataLoader<Source, Batch>, loss: (Model, Batch) throws -> Tensor,
        validate: ((Model) throws -> [String: Double])? = nil
    ) throws -> TrainingHistory {
        try fit(
            batchesPerEpoch: loader.batchCount(),
            trainingBatches: { epoch, body in
                let batches = loader.makeEpoch(epoch)
                while let batch = try batches.next() { try body(batch) }
            },
            loss: loss, validate: validate)
    }
}
