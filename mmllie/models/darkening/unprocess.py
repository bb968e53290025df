"""The low-light model: "unprocessing" a day image, in one place.

Brooks et al., "Unprocessing Images for Learned Raw Denoising", CVPR 2019
(https://arxiv.org/abs/1811.11127), with the random gamma and darkening of
MAET (Cui et al., ICCV 2021, Sec. 3.1): sRGB → inverse gamma → inverse
white balance and digital gain → darkening ``k`` → shot + read noise → ADC
quantisation → white balance → gamma → clip. The camera colour matrix and
tone curve of Brooks et al. are left out (they cancel without noise).

Every constant of the model is here; the image math is
:func:`unprocess_low_light` (torch, any device), which the pipeline
transform ``mmllie.LowLightSynthesis`` and the batch module
``mmllie.BatchLowLightSynthesis`` both call. Parameters are drawn per image
by :func:`sample_low_light_params` (NumPy, the transform's seeded stream)
or :func:`sample_batch_low_light_params` (torch, on the device): the same
distributions.
"""
import math
from typing import Dict, Optional, Sequence, Union

import numpy as np
import torch

#: Published ranges (Brooks et al. 2019; MAET 2021), the ``'full'`` level.
DEFAULT_RANGES: Dict[str, tuple] = dict(
    darkness_range=(0.01, 0.1),
    gamma_range=(2.0, 3.5),
    shot_noise_range=(1e-4, 0.012),
    red_gain_range=(1.9, 2.4),
    blue_gain_range=(1.5, 1.9),
    rgb_gain_mean_std=(0.8, 0.1),
    quant_bits=(12, 14, 16))
#: Difficulty levels (like ExLPose LL-N/H/E): the published darkness and
#: shot-noise ranges cut in three log-spaced parts, darker AND noisier.
LOW_LIGHT_PRESETS: Dict[str, Dict[str, tuple]] = dict(
    normal=dict(darkness_range=(0.05, 0.1), shot_noise_range=(1e-4, 5e-4)),
    hard=dict(darkness_range=(0.02, 0.05), shot_noise_range=(5e-4, 2.5e-3)),
    extreme=dict(
        darkness_range=(0.01, 0.02), shot_noise_range=(2.5e-3, 0.012)),
    full=dict())
#: Read noise from shot noise (Brooks et al. Sec. 3.2), variances on the
#: [0, 1] raw scale: ``log(read) = 2.18 log(shot) + 1.20 + N(0, 0.26²)``.
READ_NOISE_SLOPE = 2.18
READ_NOISE_INTERCEPT = 1.20
READ_NOISE_STD = 0.26
#: Smallest digital gain drawn (the normal distribution is cut here).
MIN_RGB_GAIN = 1e-3
#: Floor before the (inverse) gamma.
EPS = 1e-8
# (name, lower bound, upper bound); lower bounds are exclusive.
_BOUNDS = dict(
    darkness_range=(0., 1.),
    shot_noise_range=(0., 1.),
    gamma_range=(0., np.inf),
    red_gain_range=(0., np.inf),
    blue_gain_range=(0., np.inf))

Params = Dict[str, Union[float, torch.Tensor]]


def resolve_low_light_ranges(level: str = 'full', **overrides) -> dict:
    """Ranges of a preset ``level``, with non-None ``overrides`` applied.

    Raises:
        ValueError: unknown level or key, or a range that is not
            ``low <= high`` inside its bounds (e.g. darkness in (0, 1]).
    """
    if level not in LOW_LIGHT_PRESETS:
        raise ValueError(f'Unknown low-light level {level!r}; expected one '
                         f'of {sorted(LOW_LIGHT_PRESETS)}.')
    ranges = {**DEFAULT_RANGES, **LOW_LIGHT_PRESETS[level]}
    for key, value in overrides.items():
        if key not in DEFAULT_RANGES:
            raise ValueError(f'Unknown low-light parameter {key!r}; '
                             f'expected one of {sorted(DEFAULT_RANGES)}.')
        if value is None:
            continue
        if not isinstance(value, (tuple, list)):
            raise ValueError(f'{key} must be a tuple, got {value!r}.')
        ranges[key] = tuple(value)
    for key, (lo, hi) in _BOUNDS.items():
        value = ranges[key]
        if (len(value) != 2 or not lo < value[0] <= value[1] <= hi):
            raise ValueError(f'{key} must be (low, high) with {lo} < low <= '
                             f'high <= {hi}, got {value}.')
    gain = ranges['rgb_gain_mean_std']
    if len(gain) != 2 or not (gain[0] > 0 and gain[1] >= 0):
        raise ValueError('rgb_gain_mean_std must be (mean > 0, std >= 0), '
                         f'got {ranges["rgb_gain_mean_std"]}.')
    bits = ranges['quant_bits']
    if not bits or any(int(b) != b or not 1 <= b <= 24 for b in bits):
        raise ValueError(
            f'quant_bits must be integers in [1, 24], got {bits}.')
    return ranges


def sample_low_light_params(rng: np.random.Generator, ranges: dict) -> dict:
    """Draw one image's parameters from ``ranges`` with a NumPy generator.

    The seeded stream of ``mmllie.LowLightSynthesis``: with the same seed
    the same numbers, in this order, as every fixed test set was made with.
    """
    log_shot = rng.uniform(*np.log(ranges['shot_noise_range']))
    log_read = READ_NOISE_SLOPE * log_shot + READ_NOISE_INTERCEPT + \
        rng.normal(0., READ_NOISE_STD)
    return dict(
        gamma=float(rng.uniform(*ranges['gamma_range'])),
        rgb_gain=float(
            max(rng.normal(*ranges['rgb_gain_mean_std']), MIN_RGB_GAIN)),
        red_gain=float(rng.uniform(*ranges['red_gain_range'])),
        blue_gain=float(rng.uniform(*ranges['blue_gain_range'])),
        darkness=float(rng.uniform(*ranges['darkness_range'])),
        shot_noise=float(np.exp(log_shot)),
        read_noise=float(np.exp(log_read)),
        quant_bits=int(rng.choice(ranges['quant_bits'])))


def sample_batch_low_light_params(
        batch: int, ranges: dict, device: torch.device,
        generator: Optional[torch.Generator]) -> Dict[str, torch.Tensor]:
    """Draw ``batch`` parameter sets on ``device`` (tensors of shape
    ``(B,)``), distributed as :func:`sample_low_light_params`."""

    def uniform(low_high: Sequence[float]) -> torch.Tensor:
        low, high = low_high
        u = torch.rand(batch, device=device, generator=generator)
        return low + (high - low) * u

    def normal(mean: float, std: float) -> torch.Tensor:
        n = torch.randn(batch, device=device, generator=generator)
        return mean + std * n

    log_shot = uniform([math.log(v) for v in ranges['shot_noise_range']])
    log_read = READ_NOISE_SLOPE * log_shot + normal(READ_NOISE_INTERCEPT,
                                                    READ_NOISE_STD)
    bits = torch.tensor(ranges['quant_bits'], device=device).float()
    pick = torch.randint(
        len(bits), (batch, ), device=device, generator=generator)
    return dict(
        gamma=uniform(ranges['gamma_range']),
        rgb_gain=normal(*ranges['rgb_gain_mean_std']).clamp(min=MIN_RGB_GAIN),
        red_gain=uniform(ranges['red_gain_range']),
        blue_gain=uniform(ranges['blue_gain_range']),
        darkness=uniform(ranges['darkness_range']),
        shot_noise=log_shot.exp(),
        read_noise=log_read.exp(),
        quant_bits=bits[pick])


def unprocess_low_light(x: torch.Tensor,
                        params: Params,
                        noise: Optional[torch.Tensor] = None) -> torch.Tensor:
    """Darken ``x`` (B×3×H×W RGB in [0, 1]) with per-image ``params``.

    Args:
        x (Tensor): Day images, RGB in [0, 1].
        params (dict): Python numbers (one image set, as
            :func:`sample_low_light_params` draws) or ``(B,)`` tensors
            (:func:`sample_batch_low_light_params`).
        noise (Tensor, optional): Standard normal noise of ``x``'s shape
            for the heteroscedastic shot + read noise; None skips it (a
            noiseless reference with the same exposure, gains and
            quantisation).

    Returns:
        Tensor: The dark images, RGB in [0, 1], ``x``'s dtype.
    """

    def per_image(value) -> torch.Tensor:
        value = torch.as_tensor(value, dtype=x.dtype, device=x.device)
        return value.reshape(-1, 1, 1, 1)

    gamma = per_image(params['gamma'])
    # 1/γ in double, then rounded once (as a Python float exponent is)
    inv_gamma = per_image(
        1. / torch.as_tensor(params['gamma'], dtype=torch.float64))
    red, blue = per_image(params['red_gain']), per_image(params['blue_gain'])
    wb = torch.cat([red, torch.ones_like(red), blue], 1)
    y = x.clamp(min=EPS)**gamma  # inverse gamma
    y = y * (per_image(params['rgb_gain']) / wb)  # inverse WB, digital gain
    y = y * per_image(params['darkness'])  # fewer photons
    if noise is not None:  # heteroscedastic Gaussian shot + read noise
        var = y.clamp(min=0) * per_image(params['shot_noise']) + \
            per_image(params['read_noise'])
        y = y + noise.to(y) * var.sqrt()
    levels = 2.**per_image(params['quant_bits']) - 1  # ADC: clip and round
    y = torch.round(y.clamp(0, 1) * levels) / levels
    y = (y * wb).clamp(min=EPS)**inv_gamma  # white balance, gamma
    return y.clamp(0, 1)
