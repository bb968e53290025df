"""Fit the darkening model's ranges to a user's own night images.

The unprocessing model (``mmllie.LowLightSynthesis``) turns a day sRGB
image ``x`` into ``((k · x^γ + n)·wb)^(1/γ)``: in sRGB its brightness is
the day image's times ``k^(1/γ)``, and in linear green (white-balance gain
1) the noise variance grows with the signal ``μ`` as ``shot · μ + read``.
From unlabelled night images and the day frames the enhancer trains on,
:func:`fit_low_light_ranges` estimates

* ``darkness_range``: ``(mean night / mean day)^γ`` per night image
  (brightness in sRGB, ``γ`` the middle of the gamma range) over the
  model's mean digital gain, its ``quantiles``;
* ``shot_noise_range``: per night image, the slope of the local variance of
  linear green against its local mean, over the flattest patches of each
  brightness (texture excluded), its ``quantiles``;

and reports the night images' colour cast (mean R / G and B / G in linear
light, against the day frames'), which the model itself cannot produce (it
re-applies its white balance).
"""
from typing import Dict, List, Sequence, Tuple

import numpy as np

#: Gamma the fit assumes (the middle of the published range, 2 to 3.5).
GAMMA = 2.75
#: Mean digital gain of the model (``rgb_gain_mean_std``), which scales the
#: brightness along with the darkness ``k``.
RGB_GAIN = 0.8


def _rgb01(img: np.ndarray) -> np.ndarray:
    """uint8 BGR (OpenCV) -> float64 RGB in [0, 1]."""
    if not (isinstance(img, np.ndarray) and img.ndim == 3 and img.shape[2] == 3
            and img.dtype == np.uint8):
        raise ValueError('expected an H×W×3 uint8 BGR image, got '
                         f'{getattr(img, "shape", type(img))} '
                         f'{getattr(img, "dtype", "")}')
    return img[..., ::-1].astype(np.float64) / 255.


def shot_noise_of(img: np.ndarray,
                  gamma: float = GAMMA,
                  patch: int = 8,
                  bins: int = 8) -> Tuple[float, float]:
    """``(shot, read)``: variance ≈ shot · mean + read of linear green.

    The image is cut into ``patch``×``patch`` tiles; per tile the variance
    of linear green around a 2-D plane (a smooth ramp is not noise) and its
    mean. Tiles are grouped in ``bins`` brightness bins; the 10 % least
    varying tiles of each bin (flat areas) give one point; a line through
    the points gives the slope (``shot``, ≥ 0) and the intercept
    (``read``, ≥ 0).
    """
    g = _rgb01(img)[..., 1]**gamma
    h, w = (s - s % patch for s in g.shape)
    if h < 2 * patch or w < 2 * patch:
        raise ValueError(f'image of {g.shape} too small for {patch}-pixel '
                         'patches')
    tiles = g[:h, :w].reshape(h // patch, patch, w // patch, patch)
    tiles = tiles.transpose(0, 2, 1, 3).reshape(-1, patch * patch)
    yy, xx = np.mgrid[:patch, :patch]
    basis = np.stack([np.ones(patch * patch), yy.ravel(), xx.ravel()], 1)
    coef = np.linalg.lstsq(basis, tiles.T, rcond=None)[0]
    resid = tiles - (basis @ coef).T
    var = resid.var(1) * patch * patch / (patch * patch - 3)
    mean = tiles.mean(1)
    ok = (mean > 0) & (tiles.max(1) < 0.999)  # no clipped tiles
    mean, var = mean[ok], var[ok]
    if mean.size < bins:
        raise ValueError('too few unclipped patches to fit the noise')
    edges = np.quantile(mean, np.linspace(0, 1, bins + 1))
    xs, ys = [], []
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = (mean >= lo) & (mean <= hi)
        if sel.sum() < 5:
            continue
        flat = var[sel] <= np.quantile(var[sel], 0.1)
        xs.append(mean[sel][flat].mean())
        ys.append(var[sel][flat].mean())
    if len(xs) < 2:
        raise ValueError('too few brightness levels to fit the noise')
    slope, intercept = np.polyfit(xs, ys, 1)
    return max(float(slope), 0.), max(float(intercept), 0.)


def image_stats(img: np.ndarray, gamma: float = GAMMA) -> Dict[str, float]:
    """Mean sRGB brightness, linear R / G and B / G of one image."""
    rgb = _rgb01(img)
    lin = rgb**gamma
    g = max(lin[..., 1].mean(), 1e-8)
    return dict(
        brightness=float(rgb.mean()),
        red_green=float(lin[..., 0].mean() / g),
        blue_green=float(lin[..., 2].mean() / g))


def fit_low_light_ranges(night: Sequence[np.ndarray],
                         day: Sequence[np.ndarray],
                         gamma: float = GAMMA,
                         quantiles: Tuple[float, float] = (0.1, 0.9),
                         rgb_gain: float = RGB_GAIN) -> dict:
    """Ranges of ``LowLightSynthesis`` matching ``night``.

    Args:
        night (Sequence[np.ndarray]): Unlabelled night images, uint8 BGR.
        day (Sequence[np.ndarray]): The day frames the darkening is applied
            to, uint8 BGR (their mean brightness is the reference).
        gamma (float): Gamma of the sRGB <-> linear conversion.
        rgb_gain (float): The model's mean digital gain.
        quantiles (tuple): Lower and upper quantile of the per-image
            estimates that bound each range.

    Returns:
        dict: ``darkness_range`` and ``shot_noise_range`` (arguments of
        ``LowLightSynthesis``), ``per_image`` estimates, ``colour_cast``
        (median night R / G, B / G and the day frames').
    """
    if not night or not day:
        raise ValueError('fit_low_light_ranges needs night and day images')
    day_stats = [image_stats(d, gamma) for d in day]
    day_mean = float(np.mean([s['brightness'] for s in day_stats]))
    per_image: List[dict] = []
    for img in night:
        stats = image_stats(img, gamma)
        shot, read = shot_noise_of(img, gamma)
        ratio = stats['brightness'] / day_mean
        per_image.append(
            dict(
                stats,
                darkness=min(ratio**gamma / rgb_gain, 1.),
                shot_noise=shot,
                read=read))

    def bounds(key: str) -> Tuple[float, float]:
        values = np.array([p[key] for p in per_image])
        lo, hi = np.quantile(values, quantiles)
        return float(max(lo, 1e-6)), float(min(max(hi, lo, 1e-6), 1.))

    return dict(
        darkness_range=bounds('darkness'),
        shot_noise_range=bounds('shot_noise'),
        colour_cast=dict(
            night_red_green=float(
                np.median([p['red_green'] for p in per_image])),
            night_blue_green=float(
                np.median([p['blue_green'] for p in per_image])),
            day_red_green=float(
                np.median([s['red_green'] for s in day_stats])),
            day_blue_green=float(
                np.median([s['blue_green'] for s in day_stats]))),
        per_image=per_image)
