// MRITraining: the training loop, checkpoints with exact resume, logs (progress, CSV,
// TensorBoard), evaluation reports and inference. Importing MRITraining gives the data,
// models and tensor API too.
@_exported import MRIData
@_exported import MRIModels
