"""Low-light synthesis as a data transform: :class:`LowLightSynthesis`.

The model (Brooks et al. 2019 "unprocessing", with MAET's random gamma and
darkening), its constants and its image math are in
:mod:`mmllie.models.darkening.unprocess`; this transform draws each image's
parameters and noise from its own seeded NumPy stream and calls that math.
"""
import hashlib
import os.path as osp
from typing import Optional, Sequence, Tuple

import numpy as np
import torch
from mmcv.transforms import BaseTransform

from mmllie.models.darkening.unprocess import (DEFAULT_RANGES,
                                               LOW_LIGHT_PRESETS,
                                               resolve_low_light_ranges,
                                               sample_low_light_params,
                                               unprocess_low_light)
from mmllie.registry import TRANSFORMS

__all__ = [
    'DEFAULT_RANGES', 'LOW_LIGHT_PRESETS', 'LowLightSynthesis',
    'apply_low_light', 'resolve_low_light_ranges', 'sample_low_light_params',
    'synthesize_low_light'
]


def apply_low_light(img: np.ndarray,
                    params: dict,
                    rng: Optional[np.random.Generator] = None) -> np.ndarray:
    """Darken an RGB image in [0, 1] (H×W×3 float) with ``params``.

    The noise is one ``rng.standard_normal`` draw of the image's shape;
    ``rng=None`` skips the shot/read noise (a noiseless reference with the
    same exposure, gains and quantisation). Returns float32 in [0, 1].
    """
    x = torch.from_numpy(np.ascontiguousarray(img, np.float32))
    noise = None
    if rng is not None:
        noise = torch.from_numpy(rng.standard_normal(img.shape, np.float32))
        noise = noise.permute(2, 0, 1)[None]
    out = unprocess_low_light(x.permute(2, 0, 1)[None], params, noise)
    return out[0].permute(1, 2, 0).numpy()


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
        darkness_range (tuple, optional): ``(low, high)``, overriding the
            preset; ``gamma_range``, ``shot_noise_range``,
            ``red_gain_range`` and ``blue_gain_range`` likewise (see
            ``DEFAULT_RANGES``).
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
