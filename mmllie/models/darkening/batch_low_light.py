"""Low-light synthesis on a torch batch, on any device.

The unprocessing model of :class:`mmllie.LowLightSynthesis` (Brooks et al.,
"Unprocessing Images for Learned Raw Denoising", CVPR 2019; MAET, Cui et
al., ICCV 2021, Sec. 3.1) vectorised over a ``B×3×H×W`` RGB batch in
[0, 1]: new darkness, gains, gamma and noise for every image of every call.
Same presets, ranges and parameter distributions as the transform
(:func:`~mmllie.datasets.transforms.low_light.resolve_low_light_ranges`).
"""
import math
from typing import Dict, Optional, Sequence, Tuple

import torch
import torch.nn as nn

from mmllie.datasets.transforms.low_light import resolve_low_light_ranges
from mmllie.registry import MODELS
from mmllie.utils.rng import ModuleGenerator


def sample_batch_low_light_params(
        batch: int, ranges: dict, device: torch.device,
        generator: Optional[torch.Generator]) -> Dict[str, torch.Tensor]:
    """Draw ``batch`` parameter sets (tensors of shape ``(B,)``).

    Distributions as :func:`~mmllie.datasets.transforms.low_light.
    sample_low_light_params`: uniform gamma, gains and darkness, a normal
    digital gain, log-uniform shot noise with the log-linear read noise.
    """

    def uniform(low_high: Sequence[float]) -> torch.Tensor:
        low, high = low_high
        u = torch.rand(batch, device=device, generator=generator)
        return low + (high - low) * u

    def normal(mean: float, std: float) -> torch.Tensor:
        n = torch.randn(batch, device=device, generator=generator)
        return mean + std * n

    log_shot = uniform([math.log(v) for v in ranges['shot_noise_range']])
    log_read = 2.18 * log_shot + normal(1.20, 0.26)
    bits = torch.tensor(ranges['quant_bits'], device=device).float()
    pick = torch.randint(
        len(bits), (batch, ), device=device, generator=generator)
    return dict(
        gamma=uniform(ranges['gamma_range']),
        rgb_gain=normal(*ranges['rgb_gain_mean_std']).clamp(min=1e-3),
        red_gain=uniform(ranges['red_gain_range']),
        blue_gain=uniform(ranges['blue_gain_range']),
        darkness=uniform(ranges['darkness_range']),
        shot_noise=log_shot.exp(),
        read_noise=log_read.exp(),
        quant_bits=bits[pick])


def apply_batch_low_light(x: torch.Tensor,
                          params: Dict[str, torch.Tensor],
                          generator: Optional[torch.Generator] = None,
                          noise: bool = True) -> torch.Tensor:
    """Darken ``x`` (B×3×H×W RGB in [0, 1]) with per-image ``params``.

    Torch form of :func:`~mmllie.datasets.transforms.low_light.
    apply_low_light`; ``noise=False`` skips the shot/read noise.
    """

    def per_image(value) -> torch.Tensor:
        value = torch.as_tensor(value, dtype=x.dtype, device=x.device)
        return value.reshape(-1, 1, 1, 1)

    gamma = per_image(params['gamma'])
    ones = torch.ones_like(torch.as_tensor(params['red_gain']))
    wb = torch.stack([
        torch.as_tensor(params['red_gain']), ones,
        torch.as_tensor(params['blue_gain'])
    ], -1).to(x).reshape(-1, 3, 1, 1)
    y = x.clamp(min=1e-8)**gamma  # inverse gamma
    y = y * per_image(params['rgb_gain']) / wb  # inverse WB, digital gain
    y = y * per_image(params['darkness'])  # fewer photons
    if noise:  # heteroscedastic Gaussian shot + read noise
        var = y.clamp(min=0) * per_image(params['shot_noise']) + \
            per_image(params['read_noise'])
        n = torch.randn(
            y.shape, device=y.device, dtype=y.dtype, generator=generator)
        y = y + n * var.sqrt()
    levels = 2.**per_image(params['quant_bits']) - 1  # ADC: clip and round
    y = torch.round(y.clamp(0, 1) * levels) / levels
    y = (y * wb).clamp(min=1e-8)**(1. / gamma)  # white balance, gamma
    return y.clamp(0, 1)


@MODELS.register_module()
class BatchLowLightSynthesis(nn.Module):
    """Make a batch of day images dark, differently on every call.

    Args:
        level (str): Preset of :class:`mmllie.LowLightSynthesis`:
            ``'normal'``, ``'hard'``, ``'extreme'`` or ``'full'``.
        seed (int, optional): Seed of the module's own generator (made on
            the batch's device at the first call): a fixed sequence of
            darkenings, for tests. ``None`` seeds it from torch's global
            RNG at the first call (which MMEngine's ``randomness`` seeds).
            Its state is part of every training checkpoint, so
            ``--resume`` continues the same sequence.
        **ranges: Overrides of the preset's ranges (``darkness_range``,
            ``shot_noise_range``, ``gamma_range``, ...), checked like the
            transform's.

    Shape:
        - Input: :math:`(B, 3, H, W)` RGB in [0, 1].
        - Output: :math:`(B, 3, H, W)` RGB in [0, 1], no gradient.

    Example:
        >>> dark = BatchLowLightSynthesis(level='hard', seed=0)
        >>> x = torch.full((2, 3, 8, 8), 0.5)
        >>> bool(dark(x).mean() < 0.5)
        True
    """

    def __init__(self,
                 level: str = 'full',
                 seed: Optional[int] = None,
                 **ranges: Tuple[float, float]) -> None:
        super().__init__()
        self.level = level
        self.ranges = resolve_low_light_ranges(level, **ranges)
        if seed is not None and (int(seed) != seed or seed < 0):
            raise ValueError(f'seed must be a non-negative int, got {seed}.')
        self.seed = seed
        #: the module's own random stream (saved in checkpoints, resumed)
        self.rng = ModuleGenerator(seed)

    @torch.no_grad()
    def forward(self,
                x: torch.Tensor,
                generator: Optional[torch.Generator] = None) -> torch.Tensor:
        """Darken ``x``; ``generator`` overrides the module's own."""
        if x.dim() != 4 or x.shape[1] != 3:
            raise ValueError('BatchLowLightSynthesis expects a B×3×H×W RGB '
                             f'batch in [0, 1], got {tuple(x.shape)}.')
        generator = generator or self.rng.get(x.device)
        params = sample_batch_low_light_params(x.shape[0], self.ranges,
                                               x.device, generator)
        return apply_batch_low_light(x.float(), params, generator).to(x)

    def extra_repr(self) -> str:
        return f'level={self.level!r}, seed={self.seed}'
