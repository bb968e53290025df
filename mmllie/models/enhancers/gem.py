"""Global Enhancement Module (GEM), paper section 3.1, eq. 1.

Ono et al., "Recognition-Oriented Low-Light Image Enhancement Based on
Global and Pixelwise Optimization", VISAPP 2025.
"""
import math
from typing import Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmllie.registry import MODELS

#: ``exposure_prior`` modes; ``True`` / ``False`` mean 'fixed' / 'none'.
PRIOR_MODES = ('learned', 'fixed', 'none')


@MODELS.register_module()
class GlobalEnhancementModule(nn.Module):
    """Predict three positive per-channel gains from a 32×32 thumbnail.

    The image is bilinearly downsampled to ``thumb_size`` and fed to a
    six-layer CNN (five stride-2 3×3 convs with ReLU that reduce 32×32 to
    1×1, then a 1×1 conv to three outputs). The gains multiply the
    full-resolution image: ``(r', g', b') = (a_r r, a_g g, a_b b)`` (eq. 1).

    Gain parameterisation (log space, so updates are multiplicative and
    gains stay positive)::

        log a_c = alpha · log(prior) + s · tanh(k · z_c / s) + log(init_gain)

    ``z`` is the CNN output (zero-initialised last conv), ``s =
    max_log_gain`` bounds the learnt correction to ``[e^-s, e^s]`` and
    ``k = log_gain_scale`` lets Adam reach large gains within a few hundred
    iterations (with ``k = 1`` the head moves ~lr per step in log-gain).
    ``prior = clamp(target_mean / mean(thumbnail), 1, max_prior)`` is the
    grey-world exposure gain (no gradient), weighted by ``alpha``:

    * ``exposure_prior='learned'`` (default): ``alpha = k · w`` with a
      learnable scalar ``w`` that starts at 0, so the module starts as the
      **identity** (gain 1, never worse than no enhancer) and the
      recognizer's loss decides how much of the exposure prior to use.
      Measured in ``docs/en/benchmarks/generated_city.md`` (*Small
      training sets*): the fixed prior makes a noisy night image worse
      before training, the identity start does not.
    * ``exposure_prior='fixed'`` (or ``True``): ``alpha = 1``, training
      starts at the grey-world exposure.
    * ``exposure_prior='none'`` (or ``False``): ``alpha = 0``; the gain
      starts at ``init_gain``.

    Args:
        channels (Sequence[int]): Widths of the five stride-2 convs.
            Defaults to (32, 64, 64, 64, 64).
        thumb_size (int): Side of the bilinear thumbnail. Defaults to 32.
        exposure_prior (str | bool): 'learned', 'fixed' or 'none'.
            Defaults to 'learned'.
        target_mean (float): Mean brightness targeted by the prior.
            Defaults to 0.4.
        max_prior (float): Upper bound of the prior gain. Defaults to 50.
        init_gain (float): Constant factor of the starting gain.
            Defaults to 1.0.
        max_log_gain (float): Bound ``s`` of the learnt log-correction.
            Defaults to 3.0.
        log_gain_scale (float): Scale ``k`` of the head and of ``alpha``.
            Defaults to 10.0.

    Shape:
        - Input: (B, 3, H, W), RGB in [0, 1].
        - Output: gains (B, 3); see :meth:`forward`.

    Example:
        >>> gem = GlobalEnhancementModule()
        >>> gem(torch.rand(2, 3, 37, 53) * 0.05)
        tensor([[1., 1., 1.],
                [1., 1., 1.]], grad_fn=<ExpBackward0>)
    """

    def __init__(self,
                 channels: Sequence[int] = (32, 64, 64, 64, 64),
                 thumb_size: int = 32,
                 exposure_prior: Union[str, bool] = 'learned',
                 target_mean: float = 0.4,
                 max_prior: float = 50.0,
                 init_gain: float = 1.0,
                 max_log_gain: float = 3.0,
                 log_gain_scale: float = 10.0) -> None:
        super().__init__()
        if len(channels) != 5:
            raise ValueError('GlobalEnhancementModule: `channels` must list '
                             f'5 widths (6 convs in all), got {channels}')
        if init_gain <= 0 or target_mean <= 0 or max_prior < 1 or \
                log_gain_scale <= 0:
            raise ValueError('GlobalEnhancementModule: init_gain, '
                             'target_mean and log_gain_scale must be > 0 '
                             'and max_prior >= 1')
        if isinstance(exposure_prior, bool):
            exposure_prior = 'fixed' if exposure_prior else 'none'
        if exposure_prior not in PRIOR_MODES:
            raise ValueError('GlobalEnhancementModule: exposure_prior must '
                             f'be one of {PRIOR_MODES} (or a bool), got '
                             f'{exposure_prior!r}')
        layers = []
        in_ch = 3
        for out_ch in channels:
            layers += [nn.Conv2d(in_ch, out_ch, 3, 2, 1), nn.ReLU(True)]
            in_ch = out_ch
        self.features = nn.Sequential(*layers)
        self.head = nn.Conv2d(in_ch, 3, 1)
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)
        if exposure_prior == 'learned':
            self.prior_weight = nn.Parameter(torch.zeros(()))
        self.thumb_size = thumb_size
        self.exposure_prior = exposure_prior
        self.target_mean = target_mean
        self.max_prior = max_prior
        self.log_init_gain = math.log(init_gain)
        self.max_log_gain = max_log_gain
        self.log_gain_scale = log_gain_scale

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
        s, k = self.max_log_gain, self.log_gain_scale
        log_gain = s * torch.tanh(k * z / s) + self.log_init_gain
        if self.exposure_prior != 'none':
            with torch.no_grad():
                mean = thumb.mean(dim=(1, 2, 3)).clamp(min=1e-4)
                prior = (self.target_mean / mean).clamp(1.0, self.max_prior)
            alpha = k * self.prior_weight \
                if self.exposure_prior == 'learned' else 1.0
            log_gain = log_gain + alpha * prior.log()[:, None]
        return log_gain.exp()
