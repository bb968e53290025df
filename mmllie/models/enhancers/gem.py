"""Global Enhancement Module (GEM), paper section 3.1, eq. 1.

Ono et al., "Recognition-Oriented Low-Light Image Enhancement Based on
Global and Pixelwise Optimization", VISAPP 2025.
"""
import math
from typing import Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmllie.registry import MODELS


@MODELS.register_module()
class GlobalEnhancementModule(nn.Module):
    """Predict three positive per-channel gains from a 32×32 thumbnail.

    The image is bilinearly downsampled to ``thumb_size`` and fed to a
    six-layer CNN (five stride-2 3×3 convs with ReLU that reduce 32×32 to
    1×1, then a 1×1 conv to three outputs). The gains multiply the
    full-resolution image: ``(r', g', b') = (a_r r, a_g g, a_b b)`` (eq. 1).

    Gain parameterisation: ``a_c = prior · exp(s · tanh(z_c / s))`` where
    ``z`` is the CNN output and ``s = max_log_gain``. The exponential keeps
    gains positive and makes updates multiplicative, which suits images
    whose brightness spans two orders of magnitude; the tanh bounds the
    learnt correction to ``[e^-s, e^s]``. The last conv is zero-initialised,
    so training starts from ``a_c = prior`` for every image:

    * ``exposure_prior=True`` (default): ``prior`` is the grey-world
      exposure gain ``clamp(target_mean / mean(thumbnail), 1, max_prior)``
      (computed without gradient). A very dark image starts at a normal
      exposure instead of black, while a well-lit image starts unchanged
      (the clamp at 1 never darkens). The CNN then learns a per-channel
      correction on top, i.e. the recognizer's preferred exposure and
      colour balance.
    * ``exposure_prior=False``: ``prior = init_gain`` for every image.

    Args:
        channels (Sequence[int]): Widths of the five stride-2 convs.
            Defaults to (32, 64, 64, 64, 64).
        thumb_size (int): Side of the bilinear thumbnail. Defaults to 32.
        exposure_prior (bool): Use the grey-world exposure prior.
            Defaults to True.
        target_mean (float): Mean brightness targeted by the prior.
            Defaults to 0.4.
        max_prior (float): Upper bound of the prior gain. Defaults to 50.
        init_gain (float): Constant prior when ``exposure_prior=False``.
            Defaults to 1.0.
        max_log_gain (float): Bound ``s`` of the learnt log-correction.
            Defaults to 3.0.

    Shape:
        - Input: (B, 3, H, W), RGB in [0, 1].
        - Output: gains (B, 3); see :meth:`forward`.

    Example:
        >>> gem = GlobalEnhancementModule()
        >>> gem(torch.rand(2, 3, 37, 53) * 0.05).shape
        torch.Size([2, 3])
    """

    def __init__(self,
                 channels: Sequence[int] = (32, 64, 64, 64, 64),
                 thumb_size: int = 32,
                 exposure_prior: bool = True,
                 target_mean: float = 0.4,
                 max_prior: float = 50.0,
                 init_gain: float = 1.0,
                 max_log_gain: float = 3.0) -> None:
        super().__init__()
        if len(channels) != 5:
            raise ValueError('GlobalEnhancementModule: `channels` must list '
                             f'5 widths (6 convs in all), got {channels}')
        if init_gain <= 0 or target_mean <= 0 or max_prior < 1:
            raise ValueError('GlobalEnhancementModule: init_gain and '
                             'target_mean must be > 0 and max_prior >= 1')
        layers = []
        in_ch = 3
        for out_ch in channels:
            layers += [nn.Conv2d(in_ch, out_ch, 3, 2, 1), nn.ReLU(True)]
            in_ch = out_ch
        self.features = nn.Sequential(*layers)
        self.head = nn.Conv2d(in_ch, 3, 1)
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)
        self.thumb_size = thumb_size
        self.exposure_prior = exposure_prior
        self.target_mean = target_mean
        self.max_prior = max_prior
        self.log_init_gain = math.log(init_gain)
        self.max_log_gain = max_log_gain

    def thumbnail(self, x: torch.Tensor) -> torch.Tensor:
        """Bilinear downsample to ``thumb_size`` × ``thumb_size``."""
        size = (self.thumb_size, self.thumb_size)
        return F.interpolate(
            x, size=size, mode='bilinear', align_corners=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Predict the per-channel gains ``(a_r, a_g, a_b)``.

        Args:
            x (Tensor): (B, 3, H, W) RGB image in [0, 1].

        Returns:
            Tensor: (B, 3) positive gains.
        """
        thumb = self.thumbnail(x)
        z = self.head(self.features(thumb)).mean(dim=(2, 3))
        s = self.max_log_gain
        log_gain = s * torch.tanh(z / s)
        if self.exposure_prior:
            with torch.no_grad():
                mean = thumb.mean(dim=(1, 2, 3)).clamp(min=1e-4)
                prior = (self.target_mean / mean).clamp(1.0, self.max_prior)
            log_gain = log_gain + prior.log()[:, None]
        else:
            log_gain = log_gain + self.log_init_gain
        return log_gain.exp()
