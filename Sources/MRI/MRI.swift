// MRI: the physics and the classic methods (centred FFTs, coil combination, masks,
// simulation, GRAPPA, SENSE, compressed sensing) and the metrics. Importing MRI gives
// the tensor API too.
@_exported import Torch
