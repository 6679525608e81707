"""Fixtures for the segmentation models and the model summary (Tests/MRIModelsTests/Segmentation*,
Summary*). Run from the repository root: /work/main/.venv/bin/python
Tests/MRIModelsTests/Fixtures/make_seg_model_fixtures.py

For each network, a small instance built by MONAI (SegResNet, SegResNetVAE, BasicUNet, VNet) or by
the seeds' own definitions re-written here in PyTorch (the tutorial U-Net of seed 004, Buda et al.'s
U-Net, seed 003's MiniVNet), seeded with torch.manual_seed. Weights go to <name>.safetensors, inputs
and outputs to seg_models.json (fixture_io). MONAI's VNet has fixed widths (16..256 channels, 45 M
parameters in 3-d), too large to commit: its weights are instead a formula of each key (`formula_state`,
which the Swift test repeats) and the fixture keeps its key names and shapes. Default-size parameter
counts are recorded for each model. The summary fixture reproduces torchsummary 1.5.1's `summary`
(forward hooks on every module but containers and the model) without needing torchsummary.
"""
import json
import math
import sys
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
from safetensors.torch import save_file

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402
from monai.networks.nets import BasicUNet, SegResNet, SegResNetVAE, VNet  # noqa: E402

OUT = "Tests/MRIModelsTests/Fixtures/"
torch.set_num_threads(1)


# Seed 004 (torch for R "brain image segmentation" tutorial), the same modules in PyTorch.
class ConvBlock(nn.Module):
    def __init__(self, in_size, out_size, dropout=0.6):
        super().__init__()
        self.conv_block = nn.Sequential(
            nn.Conv2d(in_size, out_size, 3, padding=1), nn.ReLU(), nn.Dropout(dropout),
            nn.Conv2d(out_size, out_size, 3, padding=1), nn.ReLU())

    def forward(self, x):
        return self.conv_block(x)


class DownBlock(nn.Module):
    def __init__(self, in_size, out_size):
        super().__init__()
        self.conv_block = ConvBlock(in_size, out_size)

    def forward(self, x):
        return self.conv_block(x)


class UpBlock(nn.Module):
    def __init__(self, in_size, out_size):
        super().__init__()
        self.up = nn.ConvTranspose2d(in_size, out_size, kernel_size=2, stride=2)
        self.conv_block = ConvBlock(in_size, out_size)

    def forward(self, x, bridge):
        return self.conv_block(torch.cat([self.up(x), bridge], 1))


class TutorialUNet(nn.Module):
    def __init__(self, channels_in=3, n_classes=1, depth=5, n_filters=6):
        super().__init__()
        self.down_path = nn.ModuleList()
        prev = channels_in
        for i in range(1, depth + 1):
            self.down_path.append(DownBlock(prev, 2 ** (n_filters + i - 1)))
            prev = 2 ** (n_filters + i - 1)
        self.up_path = nn.ModuleList()
        for i in range(depth - 1, 0, -1):
            self.up_path.append(UpBlock(prev, 2 ** (n_filters + i - 1)))
            prev = 2 ** (n_filters + i - 1)
        self.final = nn.Conv2d(prev, n_classes, kernel_size=1)

    def forward(self, x):
        blocks = []
        for i, down in enumerate(self.down_path):
            x = down(x)
            if i != len(self.down_path) - 1:
                blocks.append(x)
                x = nn.functional.max_pool2d(x, 2)
        for i, up in enumerate(self.up_path):
            x = up(x, blocks[-i - 1])
        return torch.sigmoid(self.final(x))


# Buda et al., brain-segmentation-pytorch unet.py (same structure and names).
class BudaUNet(nn.Module):
    def __init__(self, in_channels=3, out_channels=1, init_features=32):
        super().__init__()
        f = init_features
        self.encoder1 = self._block(in_channels, f, "enc1")
        self.encoder2 = self._block(f, f * 2, "enc2")
        self.encoder3 = self._block(f * 2, f * 4, "enc3")
        self.encoder4 = self._block(f * 4, f * 8, "enc4")
        self.bottleneck = self._block(f * 8, f * 16, "bottleneck")
        self.upconv4 = nn.ConvTranspose2d(f * 16, f * 8, kernel_size=2, stride=2)
        self.decoder4 = self._block(f * 16, f * 8, "dec4")
        self.upconv3 = nn.ConvTranspose2d(f * 8, f * 4, kernel_size=2, stride=2)
        self.decoder3 = self._block(f * 8, f * 4, "dec3")
        self.upconv2 = nn.ConvTranspose2d(f * 4, f * 2, kernel_size=2, stride=2)
        self.decoder2 = self._block(f * 4, f * 2, "dec2")
        self.upconv1 = nn.ConvTranspose2d(f * 2, f, kernel_size=2, stride=2)
        self.decoder1 = self._block(f * 2, f, "dec1")
        self.conv = nn.Conv2d(f, out_channels, kernel_size=1)

    def forward(self, x):
        pool = nn.functional.max_pool2d
        e1 = self.encoder1(x)
        e2 = self.encoder2(pool(e1, 2))
        e3 = self.encoder3(pool(e2, 2))
        e4 = self.encoder4(pool(e3, 2))
        b = self.bottleneck(pool(e4, 2))
        d4 = self.decoder4(torch.cat((self.upconv4(b), e4), dim=1))
        d3 = self.decoder3(torch.cat((self.upconv3(d4), e3), dim=1))
        d2 = self.decoder2(torch.cat((self.upconv2(d3), e2), dim=1))
        d1 = self.decoder1(torch.cat((self.upconv1(d2), e1), dim=1))
        return torch.sigmoid(self.conv(d1))

    @staticmethod
    def _block(in_channels, features, name):
        return nn.Sequential(OrderedDict([
            (name + "conv1", nn.Conv2d(in_channels, features, 3, padding=1, bias=False)),
            (name + "norm1", nn.BatchNorm2d(features)), (name + "relu1", nn.ReLU(inplace=True)),
            (name + "conv2", nn.Conv2d(features, features, 3, padding=1, bias=False)),
            (name + "norm2", nn.BatchNorm2d(features)), (name + "relu2", nn.ReLU(inplace=True))]))


# Seed 003's MiniVNet, for the summary.
class MiniVNet(nn.Module):
    def __init__(self):
        super().__init__()

        def block(in_ch, out_ch):
            return nn.Sequential(nn.Conv3d(in_ch, out_ch, 3, 1, 1), nn.BatchNorm3d(out_ch), nn.PReLU())

        self.enc1_1 = block(1, 16)
        self.down1 = nn.Conv3d(16, 32, kernel_size=2, stride=2)
        self.enc2_1 = block(32, 32)
        self.enc2_2 = block(32, 32)
        self.up2 = nn.ConvTranspose3d(32, 32, kernel_size=2, stride=2)
        self.dec1_1 = block(32, 32)
        self.conv = nn.Conv3d(32, 3, 1, 1)

    def forward(self, x):
        enc1 = self.enc1_1(x) + x
        enc2_res = self.down1(enc1)
        enc2 = self.enc2_2(self.enc2_1(enc2_res)) + enc2_res
        dec1_res = self.up2(enc2)
        dec1 = self.dec1_1(dec1_res) + dec1_res
        return self.conv(dec1)


def count(model):
    return sum(p.numel() for p in model.parameters())


def randomize_running_stats(model):
    """Non-trivial running statistics, so evaluation-mode outputs depend on them."""
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            module.running_mean.uniform_(-0.2, 0.2)
            module.running_var.uniform_(0.5, 1.5)


def save_weights(name, model):
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    save_file(state, OUT + name + ".safetensors")


def formula_state(model):
    """Weights as a function of each key (repeated by the Swift test): sin(0.731·i + phase(key))."""
    state = {}
    for key, tensor in model.state_dict().items():
        if tensor.dtype == torch.int64:
            state[key] = torch.zeros_like(tensor)
            continue
        phase = (len(key) * 7 + sum(ord(c) for c in key)) % 1000 / 100
        wave = torch.sin(torch.arange(tensor.numel(), dtype=torch.float32) * 0.731 + phase).reshape(tensor.shape)
        if key.endswith("running_var"):
            state[key] = wave * 0.25 + 1.25
        elif tensor.dim() == 1:
            state[key] = wave * 0.1 + (1.0 if key.endswith("weight") else 0.0)
        else:
            state[key] = wave * math.sqrt(3.0 / (tensor.numel() / tensor.shape[0]))
    return state


def summary_text(model, input_size, batch_size=-1):
    """torchsummary 1.5.1's summary, returned instead of printed, with its totals."""
    summary = OrderedDict()
    hooks = []

    def register_hook(module):
        def hook(module, input, output):
            class_name = str(module.__class__).split(".")[-1].split("'")[0]
            key = "%s-%i" % (class_name, len(summary) + 1)
            summary[key] = OrderedDict()
            summary[key]["output_shape"] = [batch_size] + list(output.size())[1:]
            params = 0
            if hasattr(module, "weight") and hasattr(module.weight, "size"):
                params += torch.prod(torch.LongTensor(list(module.weight.size())))
                summary[key]["trainable"] = module.weight.requires_grad
            if hasattr(module, "bias") and hasattr(module.bias, "size"):
                params += torch.prod(torch.LongTensor(list(module.bias.size())))
            summary[key]["nb_params"] = params

        if not isinstance(module, nn.Sequential) and not isinstance(module, nn.ModuleList) and module is not model:
            hooks.append(module.register_forward_hook(hook))

    model.apply(register_hook)
    model(torch.rand(2, *input_size))
    for h in hooks:
        h.remove()
    lines = ["-" * 64, "{:>20}  {:>25} {:>15}".format("Layer (type)", "Output Shape", "Param #"), "=" * 64]
    total_params = total_output = trainable_params = 0
    for layer in summary:
        lines.append("{:>20}  {:>25} {:>15}".format(
            layer, str(summary[layer]["output_shape"]), "{0:,}".format(int(summary[layer]["nb_params"]))))
        total_params += int(summary[layer]["nb_params"])
        total_output += np.prod(summary[layer]["output_shape"])
        if summary[layer].get("trainable") is True:
            trainable_params += int(summary[layer]["nb_params"])
    total_input_size = abs(np.prod(input_size) * batch_size * 4. / (1024 ** 2.))
    total_output_size = abs(2. * total_output * 4. / (1024 ** 2.))
    total_params_size = abs(total_params * 4. / (1024 ** 2.))
    total_size = total_params_size + total_output_size + total_input_size
    lines += ["=" * 64, "Total params: {0:,}".format(total_params),
              "Trainable params: {0:,}".format(trainable_params),
              "Non-trainable params: {0:,}".format(total_params - trainable_params), "-" * 64,
              "Input size (MB): %0.2f" % total_input_size,
              "Forward/backward pass size (MB): %0.2f" % total_output_size,
              "Params size (MB): %0.2f" % total_params_size,
              "Estimated Total Size (MB): %0.2f" % total_size, "-" * 64]
    return "\n".join(lines) + "\n", dict(total_params=total_params, trainable_params=trainable_params,
                                         input_mb=total_input_size, forward_backward_mb=total_output_size,
                                         params_mb=total_params_size, total_mb=total_size)


def main():
    tensors = {}
    shapes = {}

    # Seed 004's U-Net: small (depth 3, 4 first-level filters), evaluation mode (dropout off).
    torch.manual_seed(0)
    net = TutorialUNet(channels_in=2, n_classes=2, depth=3, n_filters=2).eval()
    x = torch.randn(2, 2, 16, 16)
    save_weights("seg_unet2d", net)
    tensors.update(unet2d_input=x, unet2d_output=net(x), unet2d_default_count=count(TutorialUNet()))

    # Buda et al.'s U-Net: small (2 initial features); evaluation and training-mode batch norm.
    torch.manual_seed(1)
    net = BudaUNet(in_channels=3, out_channels=1, init_features=2)
    randomize_running_stats(net)
    x = torch.randn(2, 3, 16, 16)
    save_weights("seg_buda_unet", net)
    net.eval()
    tensors.update(buda_input=x, buda_output_eval=net(x))
    net.train()
    tensors.update(buda_output_train=net(x), buda_default_count=count(BudaUNet()))
    tensors["buda_running_mean_after"] = net.encoder1.enc1norm1.running_mean

    # MONAI SegResNet: 2-d, deconv upsampling, dropout; evaluation mode.
    torch.manual_seed(2)
    net = SegResNet(spatial_dims=2, init_filters=4, in_channels=2, out_channels=3, dropout_prob=0.2,
                    norm=("GROUP", {"num_groups": 2}),
                    blocks_down=(1, 2, 2), blocks_up=(1, 1), upsample_mode="deconv").eval()
    x = torch.randn(2, 2, 16, 16)
    save_weights("seg_segresnet", net)
    tensors.update(segresnet_input=x, segresnet_output=net(x), segresnet_default_count=count(SegResNet()))

    # MONAI SegResNetVAE: 3-d, linear upsampling, estimated std. Training mode gives the VAE loss, whose
    # noise is the first draw after torch.manual_seed(7) (nothing before it draws: no dropout).
    torch.manual_seed(3)
    net = SegResNetVAE(input_image_size=(8, 8, 8), vae_estimate_std=True, vae_nz=32, spatial_dims=3,
                       init_filters=4, norm=("GROUP", {"num_groups": 2}), in_channels=2, out_channels=3, blocks_down=(1, 2, 2), blocks_up=(1, 1))
    x = torch.randn(1, 2, 8, 8, 8)
    save_weights("seg_segresnet_vae", net)
    torch.manual_seed(7)
    seg, vae_loss = net.train()(x)
    tensors.update(vae_input=x, vae_output_train=seg, vae_loss=vae_loss)
    torch.manual_seed(3)
    fixed = SegResNetVAE(input_image_size=(8, 8, 8), vae_estimate_std=False, spatial_dims=3, init_filters=4,
                         norm=("GROUP", {"num_groups": 2}),
                         in_channels=2, out_channels=3, blocks_down=(1, 2, 2), blocks_up=(1, 1), vae_nz=32)
    fixed.load_state_dict(net.state_dict())
    torch.manual_seed(7)
    tensors["vae_loss_fixed_std"] = fixed.train()(x)[1]
    tensors.update(
        vae_default_count=count(SegResNetVAE(input_image_size=(96, 96, 96))),
        vae_myronenko_count=count(SegResNetVAE(
            input_image_size=(160, 192, 128), vae_estimate_std=True, init_filters=32, in_channels=4,
            out_channels=3, dropout_prob=0.2)))

    # MONAI BasicUNet: 3-d, small features, instance norm, odd size (replicate padding); evaluation mode.
    # Instance norm needs 2 voxels at the coarsest level, so the input is large: it is a formula the
    # Swift test repeats, and every second voxel of the output is kept.
    torch.manual_seed(4)
    net = BasicUNet(spatial_dims=3, in_channels=1, out_channels=2, features=(4, 4, 8, 8, 16, 4)).eval()
    x = torch.sin(torch.arange(32 * 16 * 18, dtype=torch.float32) * 0.37).reshape(1, 1, 32, 16, 18)
    save_weights("seg_basic_unet", net)
    tensors.update(basic_unet_output_strided=net(x)[:, :, ::2, ::2, ::2],
                   basic_unet_default_count=count(BasicUNet(spatial_dims=3)))
    torch.manual_seed(4)
    net = BasicUNet(spatial_dims=2, in_channels=1, out_channels=2, features=(4, 4, 8, 8, 16, 4), norm="batch",
                    upsample="nontrainable").eval()
    randomize_running_stats(net)
    x = torch.randn(1, 1, 32, 32)
    save_weights("seg_basic_unet_2d", net)
    tensors.update(basic_unet_2d_input=x, basic_unet_2d_output=net(x))

    # MONAI VNet: 2-d (its widths are fixed), formula weights, evaluation mode; both activations.
    for act, name in [(("elu", {"inplace": True}), "vnet_elu"), ("prelu", "vnet_prelu")]:
        net = VNet(spatial_dims=2, in_channels=2, out_channels=3, act=act).eval()
        net.load_state_dict(formula_state(net))
        x = torch.randn(1, 2, 16, 16, generator=torch.Generator().manual_seed(5))
        tensors.update({name + "_input": x, name + "_output": net(x)})
        shapes[name] = [[k, list(v.shape)] for k, v in net.state_dict().items()]
    tensors.update(vnet_default_count=count(VNet()), vnet_prelu_default_count=count(VNet(act="prelu")))

    fixture_io.save(OUT + "seg_models.json", tensors)

    # Summary of seed 003's MiniVNet on a small input, as torchsummary prints it.
    torch.manual_seed(6)
    text, totals = summary_text(MiniVNet(), (1, 8, 16, 16))
    with open(OUT + "seg_summary.json", "w") as f:
        json.dump({"minivnet_text": text, "minivnet_totals": totals, "vnet_state_shapes": shapes}, f, indent=0)
    print(text)


if __name__ == "__main__":
    main()
