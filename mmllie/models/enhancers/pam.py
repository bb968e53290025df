"""Pixelwise Adjustment Module (PAM), paper section 3.2, eq. 2.

A tiny UNet (Ronneberger et al., MICCAI 2015) predicting a pixelwise
adjustment map added to the GEM output.
"""
from typing import List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmllie.registry import MODELS


def _conv_bn_relu(in_ch: int, out_ch: int) -> List[nn.Module]:
    return [
        nn.Conv2d(in_ch, out_ch, 3, padding=1, bias=False),
        nn.BatchNorm2d(out_ch),
        nn.ReLU(inplace=True)
    ]


class EncoderBlock(nn.Sequential):
    """Two 3×3 conv + BN + ReLU (section 3.2, encoder)."""

    def __init__(self, in_ch: int, out_ch: int) -> None:
        super().__init__(*_conv_bn_relu(in_ch, out_ch),
                         *_conv_bn_relu(out_ch, out_ch))


#: How a decoder block doubles the resolution.
UPSAMPLE_MODES = ('deconv', 'bilinear')


class DecoderBlock(nn.Module):
    """Upsampling ×2, skip concatenation, 3×3 conv + BN + ReLU.

    ``upsample='deconv'``: a 2×2 stride-2 transposed convolution (the
    UNet's); ``'bilinear'``: bilinear interpolation then a 3×3 convolution,
    which cannot put a period-2 checkerboard into the map.
    """

    def __init__(self,
                 in_ch: int,
                 skip_ch: int,
                 out_ch: int,
                 upsample: str = 'deconv') -> None:
        super().__init__()
        if upsample == 'deconv':
            self.up = nn.ConvTranspose2d(in_ch, out_ch, 2, stride=2)
        elif upsample == 'bilinear':
            self.up = nn.Sequential(
                nn.Upsample(
                    scale_factor=2, mode='bilinear', align_corners=False),
                nn.Conv2d(in_ch, out_ch, 3, padding=1))
        else:
            raise ValueError(f'DecoderBlock: upsample must be one of '
                             f'{UPSAMPLE_MODES}, got {upsample!r}')
        self.conv = nn.Sequential(*_conv_bn_relu(out_ch + skip_ch, out_ch))

    def forward(self, x: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
        return self.conv(torch.cat([self.up(x), skip], dim=1))


@MODELS.register_module()
class PixelwiseAdjustmentModule(nn.Module):
    """UNet predicting the pixelwise adjustment map ``f`` (eq. 2).

    Four encoder blocks (each followed by 2×2 max-pooling) and four decoder
    blocks with skip connections, then a 1×1 conv to three channels. The
    input is reflect-padded to a multiple of 16 (the UNet's stride) and the
    map is cropped back, so any H×W works. The 1×1 output conv is
    zero-initialised: training starts from ``f = 0``, i.e. from the GEM
    image, and learns only the corrections the recognizer asks for.

    ``max_adjust`` bounds the map: ``f = b · tanh(f_raw / b)``, so the
    correction can never exceed ``b`` in [0, 1] units per pixel (a
    smooth clamp, the identity for small ``f_raw``); ``None`` leaves it
    unbounded (the paper's eq. 2).

    Args:
        channels (Sequence[int]): Encoder widths. Defaults to
            (12, 24, 48, 96).
        max_adjust (float, optional): Bound ``b`` of the map. Defaults to
            None (unbounded).
        upsample (str): ``'deconv'`` (transposed convolutions, the UNet's)
            or ``'bilinear'`` (bilinear ×2 + 3×3 convolution: no
            checkerboard pattern in the map). See :class:`DecoderBlock`.

    Shape:
        - Input: (B, 3, H, W).
        - Output: (B, 3, H, W), the adjustment map ``f``.

    Example:
        >>> pam = PixelwiseAdjustmentModule()
        >>> pam(torch.rand(1, 3, 37, 53)).shape
        torch.Size([1, 3, 37, 53])
    """

    def __init__(self,
                 channels: Sequence[int] = (12, 24, 48, 96),
                 max_adjust: Optional[float] = None,
                 upsample: str = 'deconv') -> None:
        super().__init__()
        if max_adjust is not None and max_adjust <= 0:
            raise ValueError('PixelwiseAdjustmentModule: max_adjust must be '
                             f'> 0 or None, got {max_adjust!r}')
        self.max_adjust = max_adjust
        if len(channels) != 4:
            raise ValueError('PixelwiseAdjustmentModule: `channels` must '
                             f'list 4 encoder widths, got {channels}')
        chs = list(channels)
        self.encoders = nn.ModuleList()
        in_ch = 3
        for ch in chs:
            self.encoders.append(EncoderBlock(in_ch, ch))
            in_ch = ch
        # decoder i upsamples to the resolution of encoder (3 - i)
        self.decoders = nn.ModuleList()
        for skip_ch in reversed(chs):
            self.decoders.append(
                DecoderBlock(in_ch, skip_ch, skip_ch, upsample))
            in_ch = skip_ch
        self.out_conv = nn.Conv2d(in_ch, 3, 1)
        nn.init.zeros_(self.out_conv.weight)
        nn.init.zeros_(self.out_conv.bias)
        self.stride = 2**len(chs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return the adjustment map ``f`` of the same size as ``x``."""
        h, w = x.shape[-2:]
        pad_h, pad_w = -h % self.stride, -w % self.stride
        if torch.jit.is_tracing():
            # ONNX export / jit.trace: record the pad for every size (a
            # zero pad is the identity); reflect needs H, W >= stride.
            x = F.pad(x, (0, pad_w, 0, pad_h), mode='reflect')
        elif pad_h or pad_w:  # no copy when the size is already a multiple
            mode = 'reflect' if min(h, w) > max(pad_h, pad_w) else \
                'replicate'
            x = F.pad(x, (0, pad_w, 0, pad_h), mode=mode)
        skips = []
        for encoder in self.encoders:
            x = encoder(x)
            skips.append(x)
            x = F.max_pool2d(x, 2)
        for decoder, skip in zip(self.decoders, reversed(skips)):
            x = decoder(x, skip)
        f = self.out_conv(x)[..., :h, :w]
        if self.max_adjust is not None:
            f = self.max_adjust * torch.tanh(f / self.max_adjust)
        return f
