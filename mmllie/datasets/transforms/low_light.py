"""Low-light synthesis by "unprocessing" a day image.

Brooks et al., "Unprocessing Images for Learned Raw Denoising", CVPR 2019
(https://arxiv.org/abs/1811.11127), with the random gamma and darkening of
MAET (Cui et al., ICCV 2021, Sec. 3.1): sRGB -> inverse gamma -> inverse
white balance and digital gain -> darkening ``k`` -> shot + read noise ->
ADC quantisation -> white balance -> gamma -> clip. The camera colour matrix
and tone curve of Brooks et al. are left out (they cancel without noise).
"""
import hashlib
import os.path as osp
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from mmllie.registry import TRANSFORMS

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
# (name, lower bound, upper bound); lower bounds are exclusive.
_BOUNDS = dict(
    darkness_range=(0., 1.),
    shot_noise_range=(0., 1.),
    gamma_range=(0., np.inf),
    red_gain_range=(0., np.inf),
    blue_gain_range=(0., np.inf))


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
    """Draw one set of degradation parameters from ``ranges``.

    The read noise follows the shot noise log-linearly (Brooks et al. Sec.
    3.2): ``log(read) = 2.18 log(shot) + 1.20 + N(0, 0.26^2)``; both are
    variances on the [0, 1] raw scale.
    """
    log_shot = rng.uniform(*np.log(ranges['shot_noise_range']))
    log_read = 2.18 * log_shot + 1.20 + rng.normal(0., 0.26)
    return dict(
        gamma=float(rng.uniform(*ranges['gamma_range'])),
        rgb_gain=float(max(rng.normal(*ranges['rgb_gain_mean_std']), 1e-3)),
        red_gain=float(rng.uniform(*ranges['red_gain_range'])),
        blue_gain=float(rng.uniform(*ranges['blue_gain_range'])),
        darkness=float(rng.uniform(*ranges['darkness_range'])),
        shot_noise=float(np.exp(log_shot)),
        read_noise=float(np.exp(log_read)),
        quant_bits=int(rng.choice(ranges['quant_bits'])))


def apply_low_light(img: np.ndarray,
                    params: dict,
                    rng: Optional[np.random.Generator] = None) -> np.ndarray:
    """Darken an RGB image in [0, 1] (H×W×3 float) with ``params``.

    ``rng=None`` skips the shot/read noise (a noiseless reference with the
    same exposure, gains and quantisation). Returns float32 in [0, 1].
    """
    gamma = params['gamma']
    wb = np.array([params['red_gain'], 1., params['blue_gain']], np.float32)
    x = np.maximum(img.astype(np.float32), 1e-8)**gamma  # inverse gamma
    x = x * (params['rgb_gain'] / wb)  # inverse white balance, digital gain
    x = x * params['darkness']  # fewer photons
    if rng is not None:  # heteroscedastic Gaussian shot + read noise
        var = np.maximum(x, 0.) * params['shot_noise'] + params['read_noise']
        x = x + rng.standard_normal(x.shape, np.float32) * np.sqrt(var)
    levels = 2.**params['quant_bits'] - 1  # ADC: clip and round
    x = np.round(np.clip(x, 0., 1.) * levels) / levels
    x = np.maximum(x * wb, 1e-8)**(1. / gamma)  # white balance, gamma
    return np.clip(x, 0., 1.).astype(np.float32)


def synthesize_low_light(img: np.ndarray, rng: np.random.Generator,
                         ranges: dict) -> Tuple[np.ndarray, dict]:
    """Pure form of :class:`LowLightSynthesis`: (uint8 BGR, rng) -> same.

    Float input is taken as [0, 255] (OpenMMLab's ``to_float32``) and its
    dtype is kept. Returns the dark image and the sampled parameters.
    """
    if not (isinstance(img, np.ndarray) and img.ndim == 3
            and img.shape[2] == 3):
        raise ValueError('Low-light synthesis expects an H×W×3 BGR image, got '
                         f'{getattr(img, "shape", type(img))}.')
    if img.dtype != np.uint8 and not np.issubdtype(img.dtype, np.floating):
        raise ValueError(f'Expected a uint8 or float image, got {img.dtype}.')
    params = sample_low_light_params(rng, ranges)
    rgb = img[..., ::-1].astype(np.float32) / 255.
    out = apply_low_light(rgb, params, rng)[..., ::-1] * 255.
    if img.dtype == np.uint8:
        return np.round(out).astype(np.uint8), params
    return np.ascontiguousarray(out, dtype=img.dtype), params


@TRANSFORMS.register_module()
class LowLightSynthesis(BaseTransform):
    """Make ``results['img']`` a synthetic low-light image.

    Required Keys: img. Modified Keys: img. Added Keys: low_light_params.

    Args:
        level (str): Preset: ``'normal'``, ``'hard'``, ``'extreme'`` (darker
            and noisier in turn) or ``'full'`` (the published ranges).
        darkness_range, gamma_range, shot_noise_range, red_gain_range,
            blue_gain_range (tuple, optional): ``(low, high)``, overriding
            the preset; see :data:`DEFAULT_RANGES`.
        rgb_gain_mean_std (tuple, optional): Normal digital gain.
        quant_bits (Sequence[int], optional): ADC bit depths to pick from.
        seed (int, optional): With a seed, each image's darkening depends
            only on the seed and the image's file name (``img_path``), else
            ``sample_idx``, else its pixels: a fixed test set, whatever the
            call order. ``None``: random per call from NumPy's global state
            (which MMEngine seeds per worker), for training.

    Example:
        >>> t = LowLightSynthesis(level='hard', seed=0)
        >>> img = np.full((4, 6, 3), 128, np.uint8)
        >>> t(dict(img=img, img_path='a.png'))['img'].mean() < 128
        True
    """

    def __init__(self,
                 level: str = 'full',
                 darkness_range: Optional[Tuple[float, float]] = None,
                 gamma_range: Optional[Tuple[float, float]] = None,
                 shot_noise_range: Optional[Tuple[float, float]] = None,
                 red_gain_range: Optional[Tuple[float, float]] = None,
                 blue_gain_range: Optional[Tuple[float, float]] = None,
                 rgb_gain_mean_std: Optional[Tuple[float, float]] = None,
                 quant_bits: Optional[Sequence[int]] = None,
                 seed: Optional[int] = None) -> None:
        self.level = level
        self.ranges = resolve_low_light_ranges(
            level,
            darkness_range=darkness_range,
            gamma_range=gamma_range,
            shot_noise_range=shot_noise_range,
            red_gain_range=red_gain_range,
            blue_gain_range=blue_gain_range,
            rgb_gain_mean_std=rgb_gain_mean_std,
            quant_bits=quant_bits)
        if seed is not None and (int(seed) != seed or seed < 0):
            raise ValueError(f'seed must be a non-negative int, got {seed}.')
        self.seed = seed

    def _rng(self, results: dict) -> np.random.Generator:
        if self.seed is None:
            return np.random.default_rng(np.random.randint(0, 2**31, 4))
        if results.get('img_path') is not None:
            key = osp.basename(str(results['img_path'])).encode()
        elif results.get('sample_idx') is not None:
            key = f'#{results["sample_idx"]}'.encode()
        else:
            key = np.ascontiguousarray(results['img']).tobytes()
        digest = hashlib.blake2b(key, digest_size=8).digest()
        return np.random.default_rng(
            [int(self.seed), int.from_bytes(digest, 'little')])

    def transform(self, results: dict) -> dict:
        """Darken ``results['img']`` and record ``low_light_params``."""
        if 'img' not in results:
            raise KeyError('LowLightSynthesis needs results["img"] (put it '
                           'after LoadImageFromFile).')
        try:
            img, params = synthesize_low_light(results['img'],
                                               self._rng(results), self.ranges)
        except ValueError as e:
            raise ValueError(f'LowLightSynthesis, results["img"] of '
                             f'{results.get("img_path", "?")}: {e}') from e
        results['img'] = img
        results['low_light_params'] = params
        return results

    def __repr__(self) -> str:
        args = ', '.join(f'{k}={v}' for k, v in self.ranges.items())
        return (f'{self.__class__.__name__}(level={self.level!r}, {args}, '
                f'seed={self.seed})')
