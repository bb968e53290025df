"""ESPNetv2 semantic segmentation (Mehta et al., "ESPNetv2: A Light-weight,
Power Efficient, and General Purpose Convolutional Neural Network", CVPR
2019), as in the authors' EdgeNets model zoo (MIT).

The module names and the forward follow EdgeNets so that its Cityscapes
weights (e.g. ``espnetv2_s_2.0_city_1024x512.pth``) load with
``strict=True``. One self-contained file: mmllie's
``TorchModuleBackbone`` loads it as ``'<this file>:ESPNetv2Segmentation'``
with no ``sys.path`` edit.

Input: RGB normalised by the ImageNet mean / std, any size. Output: logits
at the input resolution, ``classes`` channels (the Cityscapes model: the 19
train ids, then a background channel; ``num_outputs=19`` keeps the first
19).
"""
import math
from typing import List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

#: Channels of the encoder levels 1-5 and the (unused) classifier, per scale.
SCALE_CHANNELS = {
    0.5: (16, 32, 64, 128, 256, 1024),
    1.0: (32, 64, 128, 256, 512, 1024),
    1.25: (32, 80, 160, 320, 640, 1024),
    1.5: (32, 96, 192, 384, 768, 1024),
    2.0: (32, 128, 256, 512, 1024, 1280),
}
#: EESP blocks after the down-sampling of levels 3 and 4.
REPEATS = (3, 7)
#: Largest receptive field (kernel size 3 dilated) of a branch, per level.
RECEPTIVE_LIMITS = (13, 11, 9, 7, 5)
#: Parallel branches of every EESP block.
BRANCHES = 4
#: Channels of the input-reinforcement branch of the down-samplers.
REINFORCEMENT_CHANNELS = 3
#: Decoder width unit per dataset.
DECODER_BASE = dict(pascal=16, city=16, coco=32)


def same_conv(in_channels: int,
              out_channels: int,
              kernel_size: int,
              stride: int = 1,
              groups: int = 1) -> nn.Conv2d:
    """A convolution without bias, padded to keep the size at stride 1: the
    one of every conv-BN block of EdgeNets."""
    return nn.Conv2d(
        in_channels,
        out_channels,
        kernel_size,
        stride, (kernel_size - 1) // 2,
        bias=False,
        groups=groups)


class EncoderCB(nn.Module):
    """Conv (no bias) -> BN (``conv``, ``bn``)."""

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 kernel_size: int,
                 stride: int = 1,
                 groups: int = 1) -> None:
        super().__init__()
        self.conv = same_conv(in_channels, out_channels, kernel_size, stride,
                              groups)
        self.bn = nn.BatchNorm2d(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn(self.conv(x))


class EncoderCBR(EncoderCB):
    """Conv (no bias) -> BN -> PReLU, the encoder's naming (``conv``,
    ``bn``, ``act``)."""

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 kernel_size: int,
                 stride: int = 1,
                 groups: int = 1) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride,
                         groups)
        self.act = nn.PReLU(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(super().forward(x))


class EncoderBR(nn.Module):
    """BN -> PReLU (``bn``, ``act``)."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.bn = nn.BatchNorm2d(channels)
        self.act = nn.PReLU(channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.bn(x))


class DilatedConv(nn.Module):
    """A depth-wise 3x3 convolution with dilation (``conv``)."""

    def __init__(self, channels: int, stride: int, dilation: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(
            channels,
            channels,
            3,
            stride,
            dilation,
            dilation=dilation,
            groups=channels,
            bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


class DecoderBR(nn.Module):
    """BN -> PReLU in one ``nn.Sequential`` named ``br``."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.br = nn.Sequential(nn.BatchNorm2d(channels), nn.PReLU(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.br(x)


class DecoderCBR(nn.Module):
    """Conv (no bias) -> BN -> PReLU in one ``nn.Sequential`` ``cbr``."""

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 kernel_size: int,
                 groups: int = 1) -> None:
        super().__init__()
        self.cbr = nn.Sequential(
            same_conv(in_channels, out_channels, kernel_size, groups=groups),
            nn.BatchNorm2d(out_channels), nn.PReLU(out_channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.cbr(x)


class ChannelShuffle(nn.Module):
    """Interleave ``groups`` channel groups (ShuffleNet)."""

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = groups

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        x = x.view(b, self.groups, c // self.groups, h, w)
        return x.transpose(1, 2).reshape(b, c, h, w)


class EESP(nn.Module):
    """Extremely Efficient Spatial Pyramid block: reduce (group 1x1) ->
    split into ``k`` dilated depth-wise branches -> hierarchical feature
    fusion -> merge (group 1x1) -> residual -> PReLU.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels (a multiple of ``k``).
        stride (int): 2 in a down-sampler (then no residual, no PReLU: the
            down-sampler fuses and activates).
        k (int): Parallel branches.
        r_lim (int): Largest receptive field of a branch; larger ones fall
            back to a plain 3x3.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int = 1,
                 k: int = BRANCHES,
                 r_lim: int = 7) -> None:
        super().__init__()
        n = out_channels // k
        if n * k != out_channels:
            raise ValueError(f'EESP: out_channels={out_channels} is not a '
                             f'multiple of k={k}')
        self.stride = stride
        self.proj_1x1 = EncoderCBR(in_channels, n, 1, groups=k)
        k_sizes = sorted(3 + 2 * i if 3 + 2 * i <= r_lim else 3
                         for i in range(k))
        self.spp_dw = nn.ModuleList(
            DilatedConv(n, stride, (size - 1) // 2) for size in k_sizes)
        self.conv_1x1_exp = EncoderCB(out_channels, out_channels, 1, groups=k)
        self.br_after_cat = EncoderBR(out_channels)
        self.module_act = nn.PReLU(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        reduced = self.proj_1x1(x)
        outputs = [self.spp_dw[0](reduced)]
        for branch in self.spp_dw[1:]:
            outputs.append(branch(reduced) + outputs[-1])
        expanded = self.conv_1x1_exp(self.br_after_cat(torch.cat(outputs, 1)))
        if self.stride == 2:
            return expanded
        if expanded.shape == x.shape:
            expanded = expanded + x
        return self.module_act(expanded)


class DownSampler(nn.Module):
    """Strided EESP concatenated with an average pool, plus the input image
    pooled to the same size (input reinforcement), then PReLU."""

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 k: int = BRANCHES,
                 r_lim: int = 9,
                 image_channels: int = 3) -> None:
        super().__init__()
        self.eesp = EESP(
            in_channels, out_channels - in_channels, 2, k=k, r_lim=r_lim)
        self.avg = nn.AvgPool2d(3, stride=2, padding=1)
        self.inp_reinf = nn.Sequential(
            EncoderCBR(image_channels, REINFORCEMENT_CHANNELS, 3),
            EncoderCB(REINFORCEMENT_CHANNELS, out_channels, 1))
        self.act = nn.PReLU(out_channels)

    def forward(self, x: torch.Tensor, image: torch.Tensor) -> torch.Tensor:
        avg = self.avg(x)
        out = torch.cat([avg, self.eesp(x)], 1)
        while image.shape[2] != avg.shape[2]:
            image = F.avg_pool2d(image, 3, stride=2, padding=1)
        return self.act(out + self.inp_reinf(image))


class ESPNetv2Encoder(nn.Module):
    """The ESPNetv2 (EESPNet) encoder, levels 1-4 (the segmentation model
    has no level 5 and no classifier).

    Args:
        s (float): Width scale, a key of :data:`SCALE_CHANNELS`.
        in_channels (int): Image channels.
    """

    def __init__(self, s: float = 2.0, in_channels: int = 3) -> None:
        super().__init__()
        if s not in SCALE_CHANNELS:
            raise ValueError(f'ESPNetv2: scale s={s} is not one of '
                             f'{sorted(SCALE_CHANNELS)}')
        ch = SCALE_CHANNELS[s]
        lim = RECEPTIVE_LIMITS
        self.config = ch
        self.level1 = EncoderCBR(in_channels, ch[0], 3, stride=2)
        self.level2_0 = DownSampler(
            ch[0], ch[1], r_lim=lim[0], image_channels=in_channels)
        self.level3_0 = DownSampler(
            ch[1], ch[2], r_lim=lim[1], image_channels=in_channels)
        self.level3 = nn.ModuleList(
            EESP(ch[2], ch[2], r_lim=lim[2]) for _ in range(REPEATS[0]))
        self.level4_0 = DownSampler(
            ch[2], ch[3], r_lim=lim[2], image_channels=in_channels)
        self.level4 = nn.ModuleList(
            EESP(ch[3], ch[3], r_lim=lim[3]) for _ in range(REPEATS[1]))

    def forward(self, x: torch.Tensor) -> List[torch.Tensor]:
        """Features at strides 2, 4, 8 and 16."""
        l1 = self.level1(x)
        l2 = self.level2_0(l1, x)
        l3 = self.level3_0(l2, x)
        for layer in self.level3:
            l3 = layer(l3)
        l4 = self.level4_0(l3, x)
        for layer in self.level4:
            l4 = layer(l4)
        return [l1, l2, l3, l4]


class EfficientPyrPool(nn.Module):
    """Efficient pyramid pooling: a projection, one depth-wise 3x3 per
    scale (input resized by the scale, back after), shuffle and merge.

    Args:
        in_planes (int): Input channels.
        proj_planes (int): Channels of the projection and each scale.
        out_planes (int): Output channels.
        scales (Sequence[float]): Resize factors (sorted descending).
        last_layer_br (bool): BN + PReLU at the end (else the last 1x1
            convolution has a bias and the logits are returned as they are).
    """

    def __init__(self,
                 in_planes: int,
                 proj_planes: int,
                 out_planes: int,
                 scales: Sequence[float] = (2.0, 1.5, 1.0, 0.5, 0.1),
                 last_layer_br: bool = True) -> None:
        super().__init__()
        self.scales = sorted(scales, reverse=True)
        self.projection_layer = DecoderCBR(in_planes, proj_planes, 1)
        self.stages = nn.ModuleList(
            nn.Conv2d(
                proj_planes,
                proj_planes,
                3,
                padding=1,
                bias=False,
                groups=proj_planes) for _ in self.scales)
        n = len(self.scales)
        self.merge_layer = nn.Sequential(
            DecoderBR(proj_planes * n), ChannelShuffle(n),
            DecoderCBR(proj_planes * n, proj_planes, 3, groups=proj_planes),
            nn.Conv2d(proj_planes, out_planes, 1, bias=not last_layer_br))
        self.br = DecoderBR(out_planes) if last_layer_br else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.projection_layer(x)
        height, width = x.shape[2:]
        pyramid = []
        for scale, stage in zip(self.scales, self.stages):
            size = (max(int(math.ceil(height * scale)),
                        5), max(int(math.ceil(width * scale)), 5))
            if scale < 1.0:
                h = stage(F.adaptive_avg_pool2d(x, size))
                h = F.interpolate(
                    h, (height, width), mode='bilinear', align_corners=True)
            elif scale > 1.0:
                h = F.interpolate(x, size, mode='bilinear', align_corners=True)
                h = F.adaptive_avg_pool2d(stage(h), (height, width))
            else:
                h = stage(x)
            pyramid.append(h)
        out = self.merge_layer(torch.cat(pyramid, 1))
        return out if self.br is None else self.br(out)


class EfficientPWConv(nn.Module):
    """Group 3x3 CBR gated per channel by a global-context sigmoid."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.wt_layer = nn.Sequential(
            nn.AdaptiveAvgPool2d(1),
            nn.Conv2d(in_channels, out_channels, 1, bias=False), nn.Sigmoid())
        self.expansion_layer = DecoderCBR(
            in_channels,
            out_channels,
            3,
            groups=math.gcd(in_channels, out_channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.expansion_layer(x) * self.wt_layer(x)


def _br(channels: int) -> nn.Sequential:
    return nn.Sequential(nn.BatchNorm2d(channels), nn.PReLU(channels))


class ESPNetv2Segmentation(nn.Module):
    """ESPNetv2 segmentation network (encoder + bottom-up decoder).

    Args:
        s (float): Width scale of the encoder (2.0 for the s=2.0 weights).
        classes (int): Output channels of the trained network (Cityscapes:
            20, the 19 train ids then background).
        dataset (str): ``'city'``, ``'pascal'`` or ``'coco'`` (decoder
            width).
        num_outputs (int, optional): Keep only the first ``num_outputs``
            channels of the logits (19 for the 19-class Cityscapes metric);
            all ``classes`` by default.
        in_channels (int): Image channels.

    Shape:
        - Input: (B, in_channels, H, W).
        - Output: (B, num_outputs or classes, H, W).
    """

    def __init__(self,
                 s: float = 2.0,
                 classes: int = 20,
                 dataset: str = 'city',
                 num_outputs: Optional[int] = None,
                 in_channels: int = 3) -> None:
        super().__init__()
        if dataset not in DECODER_BASE:
            raise ValueError(f'ESPNetv2Segmentation: dataset={dataset!r} is '
                             f'not one of {sorted(DECODER_BASE)}')
        if num_outputs is not None and not 0 < num_outputs <= classes:
            raise ValueError(f'ESPNetv2Segmentation: num_outputs must be in '
                             f'[1, classes={classes}], got {num_outputs}')
        self.num_outputs = num_outputs
        self.base_net = ESPNetv2Encoder(s, in_channels)
        enc = self.base_net.config
        base = DECODER_BASE[dataset]
        dec = (4 * base, 3 * base, 2 * base, classes)
        proj = min(classes // 2, base)
        self.bu_dec_l1 = EfficientPyrPool(enc[3], proj, dec[0])
        self.bu_dec_l2 = EfficientPyrPool(dec[0], proj, dec[1])
        self.bu_dec_l3 = EfficientPyrPool(dec[1], proj, dec[2])
        self.bu_dec_l4 = EfficientPyrPool(
            dec[2], proj, dec[3], last_layer_br=False)
        self.merge_enc_dec_l2 = EfficientPWConv(enc[2], dec[0])
        self.merge_enc_dec_l3 = EfficientPWConv(enc[1], dec[1])
        self.merge_enc_dec_l4 = EfficientPWConv(enc[0], dec[2])
        self.bu_br_l2 = _br(dec[0])
        self.bu_br_l3 = _br(dec[1])
        self.bu_br_l4 = _br(dec[2])

    @staticmethod
    def _up(x: torch.Tensor) -> torch.Tensor:
        return F.interpolate(
            x, scale_factor=2, mode='bilinear', align_corners=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        l1, l2, l3, l4 = self.base_net(x)
        out = self.bu_dec_l1(l4)
        stages = ((self.merge_enc_dec_l2, self.bu_br_l2, self.bu_dec_l2, l3),
                  (self.merge_enc_dec_l3, self.bu_br_l3, self.bu_dec_l3, l2),
                  (self.merge_enc_dec_l4, self.bu_br_l4, self.bu_dec_l4, l1))
        for merge, br, dec, skip in stages:
            out = dec(br(merge(skip) + self._up(out)))
        out = F.interpolate(
            out, size=x.shape[2:], mode='bilinear', align_corners=True)
        if self.num_outputs is not None:
            out = out[:, :self.num_outputs]
        return out
