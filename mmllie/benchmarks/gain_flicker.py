"""Flicker of GEM's gains on a generated night video with a brightness jump.

Measures what :class:`mmllie.models.enhancers.SmoothedGainGPLLIE` is for:
the frame-to-frame change of the mean per-channel gain, with and without
smoothing, on a sequence whose scene is fixed while the light jumps and
flickers and the sensor adds fresh noise to every frame.
"""
from typing import Dict, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmllie.models.enhancers.temporal_smoothing import (SmoothedGainGPLLIE,
                                                        gain_flicker)


def night_sequence(num_frames: int = 40,
                   jump_at: int = 20,
                   levels: Sequence[float] = (0.06, 0.02),
                   flicker: float = 0.05,
                   noise: float = 0.01,
                   size: Sequence[int] = (48, 64),
                   seed: int = 0) -> torch.Tensor:
    """A static night scene; the light drops from ``levels[0]`` to
    ``levels[1]`` at frame ``jump_at``.

    Each frame: smooth random scene (fixed) × level × (1 + N(0, flicker²))
    (a lamp's flicker) + N(0, noise²) sensor noise, clipped to [0, 1].

    Returns:
        Tensor: (num_frames, 3, H, W) RGB in [0, 1].
    """
    g = torch.Generator().manual_seed(seed)
    h, w = size
    scene = F.interpolate(
        torch.rand(1, 3, h // 8, w // 8, generator=g),
        size=(h, w),
        mode='bilinear',
        align_corners=False)[0]
    frames = []
    for t in range(num_frames):
        level = levels[0] if t < jump_at else levels[1]
        light = level * (1 + flicker * torch.randn(1, generator=g))
        frame = scene * light + noise * torch.randn(3, h, w, generator=g)
        frames.append(frame.clamp(0, 1))
    return torch.stack(frames)


@torch.no_grad()
def measure_gain_flicker(enhancer: nn.Module,
                         frames: torch.Tensor,
                         time_constants: Sequence[float] = (0, 2, 5),
                         batch_size: int = 4) -> Dict[float, dict]:
    """Gain flicker of ``enhancer`` on ``frames`` per time constant.

    Args:
        enhancer (nn.Module): A GPLLIE with GEM.
        frames (Tensor): (T, 3, H, W) consecutive frames.
        time_constants (Sequence[float]): EMA time constants in frames;
            0 is the unsmoothed enhancer.
        batch_size (int): Frames per call (the state carries over).

    Returns:
        dict: time constant → :func:`gain_flicker` of the gains used.
    """
    out = {}
    for tau in time_constants:
        smoother = SmoothedGainGPLLIE(enhancer, time_constant=tau).eval()
        gains = []
        for i in range(0, len(frames), batch_size):
            smoother(frames[i:i + batch_size])
            gains.append(smoother.last_gains)
        out[tau] = gain_flicker(torch.cat(gains))
    return out
