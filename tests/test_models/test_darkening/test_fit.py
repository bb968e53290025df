"""fit_low_light_ranges recovers the ranges that made synthetic nights."""
import numpy as np
import pytest

from mmllie.datasets.transforms.low_light import LowLightSynthesis
from mmllie.models.darkening.fit import (fit_low_light_ranges, image_stats,
                                         shot_noise_of)


def _day_frames(n=12, seed=0):
    """Smooth frames: ramps and flat blocks (no texture to pass for
    noise)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:256, :256] / 256.
    frames = []
    for _ in range(n):
        img = np.stack([
            0.3 + 0.2 * (rng.random() * yy + rng.random() * xx)
            for _ in range(3)
        ], -1)
        for _ in range(6):
            y, x = rng.integers(0, 192, 2)
            img[y:y + 64, x:x + 64] = rng.random(3) * 0.8 + 0.1
        frames.append(np.round(img * 255).astype(np.uint8))
    return frames


@pytest.mark.parametrize('darkness,shot', [((0.03, 0.05), (2e-3, 3e-3)),
                                           ((0.1, 0.2), (5e-4, 1e-3))])
def test_recovers_known_darkness_and_noise(darkness, shot):
    days = _day_frames()
    dark = LowLightSynthesis(
        darkness_range=darkness,
        shot_noise_range=shot,
        gamma_range=(2.75, 2.75),
        seed=1)
    nights = [
        dark(dict(img=d.copy(), img_path=f'{i}.png'))['img']
        for i, d in enumerate(days)
    ]
    fit = fit_low_light_ranges(nights, days)
    lo, hi = fit['darkness_range']
    # unpaired frames: within a factor 1.5 of the true bounds
    assert darkness[0] / 1.5 < lo < darkness[0] * 1.5
    assert darkness[1] / 1.5 < hi < darkness[1] * 1.5
    # noise from flat patches of one image each: within a factor 2
    slo, shi = fit['shot_noise_range']
    assert shot[0] / 2 < slo < shot[0] * 2
    assert shot[1] / 2 < shi < shot[1] * 2
    assert len(fit['per_image']) == len(nights)


def test_noise_free_flat_image_has_no_shot_noise():
    img = np.tile(
        np.linspace(20, 200, 128, dtype=np.uint8)[None, :, None], (128, 1, 3))
    shot, read = shot_noise_of(img)
    assert shot < 1e-5 and read < 1e-5


def test_colour_cast_is_reported():
    img = np.zeros((32, 32, 3), np.uint8)
    img[..., 2], img[..., 1], img[..., 0] = 200, 100, 50  # BGR: reddish
    stats = image_stats(img)
    assert stats['red_green'] > 1 > stats['blue_green']


def test_bad_input():
    with pytest.raises(ValueError, match='uint8 BGR'):
        image_stats(np.zeros((4, 4), np.uint8))
    with pytest.raises(ValueError, match='night and day'):
        fit_low_light_ranges([], _day_frames(1))
