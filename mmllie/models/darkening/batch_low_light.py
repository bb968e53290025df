"""Low-light synthesis on a torch batch, on any device.

The unprocessing model of :mod:`mmllie.models.darkening.unprocess` (the one
``mmllie.LowLightSynthesis`` uses) over a ``B×3×H×W`` RGB batch in [0, 1]:
new darkness, gains, gamma and noise for every image of every call, drawn
on the batch's device from the same presets and distributions.
"""
from typing import Dict, Optional, Tuple

import torch
import torch.nn as nn

from mmllie.registry import MODELS
from mmllie.utils.rng import ModuleGenerator
from .unprocess import (resolve_low_light_ranges,
                        sample_batch_low_light_params, unprocess_low_light)


def apply_batch_low_light(x: torch.Tensor,
                          params: Dict[str, torch.Tensor],
                          generator: Optional[torch.Generator] = None,
                          noise: bool = True) -> torch.Tensor:
    """Darken ``x`` (B×3×H×W RGB in [0, 1]) with per-image ``params``,
    drawing the noise from ``generator`` (``noise=False``: none)."""
    n = torch.randn(
        x.shape, device=x.device, dtype=x.dtype,
        generator=generator) if noise else None
    return unprocess_low_light(x, params, n)


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
        to_uint8 (bool): Round the result to 8-bit steps, as the
            transform's uint8 output is (its statistics exactly, for the
            labelled recipe's darkening on the device). Defaults to False.
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
                 to_uint8: bool = False,
                 **ranges: Tuple[float, float]) -> None:
        super().__init__()
        self.level = level
        self.ranges = resolve_low_light_ranges(level, **ranges)
        if seed is not None and (int(seed) != seed or seed < 0):
            raise ValueError(f'seed must be a non-negative int, got {seed}.')
        self.seed = seed
        self.to_uint8 = to_uint8
        #: the module's own random stream (saved in checkpoints, resumed)
        self.rng = ModuleGenerator(seed)

    @torch.no_grad()
    def forward(self,
                x: torch.Tensor,
                generator: Optional[torch.Generator] = None) -> torch.Tensor:
        """Darken ``x``; ``generator`` overrides the module's own."""
        return self.pair(x, generator, reference=False)[0]

    @torch.no_grad()
    def pair(
            self,
            x: torch.Tensor,
            generator: Optional[torch.Generator] = None,
            reference: bool = True
    ) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        """Darken ``x`` and make its noiseless reference.

        Args:
            x (Tensor): (B, 3, H, W) day images, RGB in [0, 1].
            generator (torch.Generator, optional): Overrides the module's
                own random stream.
            reference (bool): Also return the same darkening (exposure,
                gains, gamma, quantisation) without the noise, the target
                of a denoiser. Defaults to True.

        Returns:
            tuple[Tensor, Tensor | None]: The dark images (as
            :meth:`forward` returns them) and the noiseless ones (float, no
            8-bit rounding), or None.
        """
        if x.dim() != 4 or x.shape[1] != 3:
            raise ValueError('BatchLowLightSynthesis expects a B×3×H×W RGB '
                             f'batch in [0, 1], got {tuple(x.shape)}.')
        generator = generator or self.rng.get(x.device)
        params = sample_batch_low_light_params(x.shape[0], self.ranges,
                                               x.device, generator)
        out = apply_batch_low_light(x.float(), params, generator)
        if self.to_uint8:
            out = torch.round(out * 255.) / 255.
        clean = apply_batch_low_light(
            x.float(), params, noise=False).to(x) if reference else None
        return out.to(x), clean

    def extra_repr(self) -> str:
        return (f'level={self.level!r}, seed={self.seed}, '
                f'to_uint8={self.to_uint8}')
