// TorchNN: modules, layers, losses, optimizers and learning-rate schedules on `Torch`.
// Importing TorchNN gives the tensor API too.
@_exported import Torch
