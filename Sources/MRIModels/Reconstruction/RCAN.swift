import Torch

/// The residual channel attention network (RCAN) as seed 000's fastMRI entry uses it for
/// image-domain refinement: RCAN's residual-in-residual layout with bottleneck residual blocks.
///
/// Y. Zhang et al., "Image Super-Resolution Using Very Deep Residual Channel Attention Networks",
/// ECCV 2018, without the up-sampler and the RGB mean shift (the input and output are MR images
/// of one size). Seed 000 replaces RCAN's two 3×3 convolutions per block by a 1×1 → 3×3 → 1×1
/// bottleneck at `nFeats / 4` channels (``RCAB``), scales each block's residual by `resScale`,
/// and checkpoints every ``ResidualGroup`` during training.
///
/// `[N, inChannels, H, W]` → `[N, outChannels, H, W]`: a 3×3 head convolution to `nFeats`
/// channels, `nResgroups` residual groups and a 3×3 convolution inside a long skip connection,
/// and a 3×3 tail convolution. Keys follow RCAN's: `head.0.…`, `body.{g}.body.{b}.body.{0,2,4}.…`,
/// `body.{g}.body.{b}.body.5.conv_du.{0,2}.…`, `body.{g}.body.{nResblocks}.…`,
/// `body.{nResgroups}.…`, `tail.0.…`.
public final class RCAN: Module, UnaryLayer {
    let head: Sequential
    let body: Sequential
    let tail: Sequential

    /// An RCAN with the hyper-parameters of seed 000's commands as defaults
    /// (`--n_feats 160 --n_resblocks 25 --n_resgroups 4 --reduction 16 --res_scale 0.125`).
    ///
    /// - Parameters:
    ///   - inChannels: input image channels (2 in seed 000's hybrid: the VarNet and GRAPPA images).
    ///   - outChannels: output image channels.
    ///   - nFeats: feature channels.
    ///   - nResblocks: residual channel-attention blocks per group.
    ///   - nResgroups: residual groups.
    ///   - reduction: channel reduction inside the channel attention.
    ///   - resScale: the factor on each block's residual.
    ///   - gradientCheckpointing: checkpoint every residual group in training (see ``ResidualGroup``).
    public init(
        inChannels: Int = 1, outChannels: Int = 1, nFeats: Int = 160, nResblocks: Int = 25, nResgroups: Int = 4,
        reduction: Int = 16, resScale: Double = 0.125, gradientCheckpointing: Bool = true
    ) {
        let groups: [any UnaryLayer] = (0..<nResgroups).map { _ in
            ResidualGroup(nFeats, reduction: reduction, resScale: resScale, nResblocks: nResblocks,
                          gradientCheckpointing: gradientCheckpointing)
        }
        head = Sequential(Conv2d(inChannels, nFeats, kernelSize: [3], padding: [1]))
        body = Sequential(groups + [Conv2d(nFeats, nFeats, kernelSize: [3], padding: [1])])
        tail = Sequential(Conv2d(nFeats, outChannels, kernelSize: [3], padding: [1]))
    }

    /// Whether every residual group is checkpointed in training.
    public var gradientCheckpointing: Bool {
        get { groups.allSatisfy(\.gradientCheckpointing) }
        set { for group in groups { group.gradientCheckpointing = newValue } }
    }

    /// The residual groups, found in the body (a stored array would add state-dict keys).
    var groups: [ResidualGroup] { body.layers.compactMap { $0 as? ResidualGroup } }

    /// The refined image: `[N, inChannels, H, W]` → `[N, outChannels, H, W]`.
    public func forward(_ image: Tensor) -> Tensor {
        let features = head(image)
        return tail(body(features) + features)
    }
}

/// A residual group of ``RCAN`` (RCAN's `ResidualGroup`): `nResblocks` ``RCAB``s and a 3×3
/// convolution inside a skip connection, `[N, nFeats, H, W]` → `[N, nFeats, H, W]`.
///
/// With `gradientCheckpointing`, training runs the group's body under gradient checkpointing (its
/// activations are recomputed during `backward`), seed 000's way of fitting a large RCAN in memory.
/// Keys: `body.{b}.…`, `body.{nResblocks}.weight/bias`.
public final class ResidualGroup: Module, UnaryLayer {
    /// Whether the body is checkpointed in training.
    public var gradientCheckpointing: Bool
    let body: Sequential

    /// A group of `nResblocks` blocks of `nFeats` channels.
    public init(_ nFeats: Int, reduction: Int, resScale: Double, nResblocks: Int, gradientCheckpointing: Bool = true) {
        self.gradientCheckpointing = gradientCheckpointing
        body = Sequential(
            (0..<nResblocks).map { _ -> any UnaryLayer in RCAB(nFeats, reduction: reduction, resScale: resScale) }
                + [Conv2d(nFeats, nFeats, kernelSize: [3], padding: [1])])
    }

    /// `body(x) + x`.
    public func forward(_ input: Tensor) -> Tensor {
        let residual = isTraining && gradientCheckpointing ? checkpoint(input) { [body] in body($0) } : body(input)
        return residual + input
    }
}

/// Seed 000's residual channel-attention block: RCAN's `RCAB` with a bottleneck body,
/// `x + resScale · CA(conv1×1(relu(conv3×3(relu(conv1×1(x))))))`, the inner convolutions at
/// `nFeats / 4` channels. `[N, nFeats, H, W]` → `[N, nFeats, H, W]`.
///
/// Keys: `body.{0,2,4}.weight/bias`, `body.5.conv_du.{0,2}.weight/bias`.
public final class RCAB: Module, UnaryLayer {
    /// The factor on the residual.
    public let resScale: Double
    let body: Sequential

    /// A block of `nFeats` channels with channel-attention `reduction`.
    public init(_ nFeats: Int, reduction: Int, resScale: Double) {
        self.resScale = resScale
        let middle = nFeats / 4
        body = Sequential(
            Conv2d(nFeats, middle, kernelSize: [1]), ReLU(inPlace: true),
            Conv2d(middle, middle, kernelSize: [3], padding: [1]), ReLU(inPlace: true),
            Conv2d(middle, nFeats, kernelSize: [1]),
            ChannelAttention(nFeats, reduction: reduction))
    }

    /// `x + resScale · body(x)`.
    public func forward(_ input: Tensor) -> Tensor { body(input) * resScale + input }
}

/// RCAN's channel attention (`CALayer`): each channel scaled by a weight in (0, 1) computed from the
/// global average of all channels through a `reduction`-fold bottleneck of 1×1 convolutions.
/// `[N, C, H, W]` → `[N, C, H, W]`.
///
/// Keys: `conv_du.0.weight/bias` (`[C / reduction, C, 1, 1]`), `conv_du.2.weight/bias`.
public final class ChannelAttention: Module, UnaryLayer {
    let convDu: Sequential

    /// Attention over `channel` channels with the given `reduction`.
    public init(_ channel: Int, reduction: Int = 16) {
        convDu = Sequential(
            Conv2d(channel, channel / reduction, kernelSize: [1]), ReLU(inPlace: true),
            Conv2d(channel / reduction, channel, kernelSize: [1]), Sigmoid())
    }

    /// `x · σ(convDu(mean over H, W of x))`.
    public func forward(_ input: Tensor) -> Tensor {
        input * convDu(Functional.adaptiveAvgPool2d(input, outputSize: [1, 1]))
    }
}
