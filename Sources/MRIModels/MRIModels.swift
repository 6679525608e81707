// MRIModels: the reconstruction and segmentation networks (fastMRI U-Net and E2E-VarNet, RCAN,
// cine networks, 2D/3D U-Nets, V-Net, SegResNet-VAE), weight-compatible with their PyTorch
// reference implementations. Models hold no training logic.
@_exported import TorchNN
@_exported import MRI
