"""mmllie.LowLightSynthesis and its pure functions (unprocessing)."""
import os.path as osp

import cv2
import numpy as np
import pytest
from mmcv.transforms import Compose
from mmseg.registry import TRANSFORMS as MMSEG_TRANSFORMS

from mmllie.datasets.transforms import (LOW_LIGHT_PRESETS, LowLightSynthesis,
                                        apply_low_light,
                                        sample_low_light_params,
                                        synthesize_low_light)
from mmllie.datasets.transforms.low_light import resolve_low_light_ranges
from mmllie.registry import TRANSFORMS

LEVELS = ('normal', 'hard', 'extreme')


def day_image(h=37, w=53, seed=0):
    """A smooth, textured uint8 BGR image (odd size)."""
    rng = np.random.default_rng(seed)
    small = rng.integers(30, 230, (5, 7, 3), dtype=np.uint8)
    img = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    return img


def darken(t, img, name='a.png', **extra):
    return t(dict(img=img.copy(), img_path=name, **extra))


def test_build_from_mmllie_and_mmseg_scopes():
    for registry in (TRANSFORMS, MMSEG_TRANSFORMS):
        t = registry.build(
            dict(type='mmllie.LowLightSynthesis', level='hard', seed=1))
        assert isinstance(t, LowLightSynthesis)
        assert t.ranges['darkness_range'] == (0.02, 0.05)
    assert "level='hard'" in repr(t) and 'seed=1' in repr(t)


def test_in_a_pipeline_after_load_image(tmp_path):
    path = str(tmp_path / 'Aachen_0000.png')
    img = day_image()
    cv2.imwrite(path, img)
    pipeline = Compose([
        dict(type='mmcv.LoadImageFromFile'),
        dict(type='mmllie.LowLightSynthesis', level='normal', seed=0)
    ])
    out = pipeline(dict(img_path=path))
    assert out['img'].dtype == np.uint8 and out['img'].shape == img.shape
    assert out['img'].mean() < img.mean() * 0.6
    again = pipeline(dict(img_path=path))
    np.testing.assert_array_equal(out['img'], again['img'])


@pytest.mark.parametrize('level', LEVELS + ('full', ))
def test_dtype_shape_and_darker(level):
    img = day_image()
    t = LowLightSynthesis(level=level, seed=0)
    out = darken(t, img)['img']
    assert out.dtype == np.uint8 and out.shape == img.shape
    assert out.mean() < img.mean() * 0.6
    as_float = darken(t, img.astype(np.float32))['img']  # to_float32=True
    assert as_float.dtype == np.float32 and as_float.shape == img.shape
    assert 0 <= as_float.min() and as_float.max() <= 255
    np.testing.assert_allclose(as_float, out, atol=1.)


def test_seeded_is_deterministic_and_order_independent():
    a, b = day_image(seed=1), day_image(seed=2)
    t1 = LowLightSynthesis(seed=7)
    first = [darken(t1, a, 'x/a.png')['img'], darken(t1, b, 'x/b.png')['img']]
    t2 = LowLightSynthesis(seed=7)  # fresh instance, reversed order
    second_b = darken(t2, b, 'y/b.png')['img']  # another dir, same name
    second_a = darken(t2, a, 'y/a.png')['img']
    np.testing.assert_array_equal(first[0], second_a)
    np.testing.assert_array_equal(first[1], second_b)
    # another name or another seed gives another darkening
    assert not np.array_equal(first[0], darken(t1, a, 'c.png')['img'])
    other = darken(LowLightSynthesis(seed=8), a, 'a.png')['img']
    assert not np.array_equal(first[0], other)


def test_seed_key_fallbacks():
    img, t = day_image(), LowLightSynthesis(seed=0)
    by_idx = [t(dict(img=img.copy(), sample_idx=3))['img'] for _ in range(2)]
    np.testing.assert_array_equal(*by_idx)
    by_pixels = [t(dict(img=img.copy()))['img'] for _ in range(2)]
    np.testing.assert_array_equal(*by_pixels)
    assert not np.array_equal(by_idx[0],
                              t(dict(img=img.copy(), sample_idx=4))['img'])


def test_unseeded_is_random_but_follows_numpy_global_seed():
    img, t = day_image(), LowLightSynthesis()
    assert not np.array_equal(darken(t, img)['img'], darken(t, img)['img'])
    np.random.seed(0)
    first = darken(t, img)['img']
    np.random.seed(0)
    np.testing.assert_array_equal(first, darken(t, img)['img'])


def test_params_recorded_within_ranges():
    t = LowLightSynthesis(level='extreme', seed=0)
    for i in range(20):
        p = darken(t, day_image(), f'{i}.png')['low_light_params']
        assert 0.01 <= p['darkness'] <= 0.02
        assert 2.5e-3 <= p['shot_noise'] <= 0.012
        assert 2.0 <= p['gamma'] <= 3.5
        assert 1.9 <= p['red_gain'] <= 2.4 and 1.5 <= p['blue_gain'] <= 1.9
        assert p['quant_bits'] in (12, 14, 16)
        # log-linear read noise: within 5 sigma of 2.18 log(shot) + 1.2
        resid = np.log(
            p['read_noise']) - (2.18 * np.log(p['shot_noise']) + 1.20)
        assert abs(resid) < 5 * 0.26


def test_explicit_ranges_override_preset():
    t = LowLightSynthesis(level='normal', darkness_range=(0.5, 0.5))
    assert t.ranges['darkness_range'] == (0.5, 0.5)
    assert t.ranges['shot_noise_range'] == (1e-4, 5e-4)  # from the preset
    p = darken(t, day_image())['low_light_params']
    assert p['darkness'] == 0.5


def test_full_is_the_published_range_and_levels_tile_it():
    full = resolve_low_light_ranges('full')
    assert full['darkness_range'] == (0.01, 0.1)
    assert full['gamma_range'] == (2.0, 3.5)
    assert full['shot_noise_range'] == (1e-4, 0.012)
    for key in ('darkness_range', 'shot_noise_range'):
        parts = sorted(LOW_LIGHT_PRESETS[lv][key] for lv in LEVELS)
        assert parts[0][0] == full[key][0] and parts[-1][1] == full[key][1]
        assert all(a[1] == b[0] for a, b in zip(parts, parts[1:]))


def test_noiseless_round_trip_without_darkening_is_identity():
    """Inverse and forward steps cancel: the pipeline itself is exact."""
    rgb = day_image()[..., ::-1] / 255.
    params = dict(
        gamma=2.7,
        rgb_gain=1.,
        red_gain=2.1,
        blue_gain=1.7,
        darkness=1.,
        shot_noise=1e-3,
        read_noise=1e-5,
        quant_bits=24)
    out = apply_low_light(rgb, params, rng=None)
    np.testing.assert_allclose(out, rgb, atol=.5 / 255)  # < half a level
    noisy = apply_low_light(rgb, params, np.random.default_rng(0))
    assert np.abs(noisy - rgb).mean() > 1e-3  # but noise is added


def test_noiseless_brightness_follows_darkness():
    rgb = day_image()[..., ::-1] / 255.
    p = sample_low_light_params(
        np.random.default_rng(0), resolve_low_light_ranges('full'))
    means = [
        apply_low_light(rgb, dict(p, darkness=k)).mean()
        for k in (0.01, 0.03, 0.1)
    ]
    assert means[0] < means[1] < means[2] < rgb.mean()


def test_levels_darker_and_noisier_in_turn():
    """Brightness falls and noise (residual vs. the noiseless darkening with
    the same parameters) grows from normal to hard to extreme."""
    rgb = day_image(48, 64)[..., ::-1] / 255.
    means, noise = [], []
    for level in LEVELS:
        ranges = resolve_low_light_ranges(level)
        m, n = [], []
        for seed in range(24):
            rng = np.random.default_rng(seed)
            p = sample_low_light_params(rng, ranges)
            noisy = apply_low_light(rgb, p, rng)
            m.append(noisy.mean())
            n.append((noisy - apply_low_light(rgb, p)).std())
        means.append(np.mean(m))
        noise.append(np.mean(n))
    assert means[0] > means[1] > means[2]
    assert noise[0] * 1.5 < noise[1] and noise[1] * 1.5 < noise[2]


def test_pure_function():
    img = day_image()
    ranges = resolve_low_light_ranges('hard')
    out1, p1 = synthesize_low_light(img, np.random.default_rng(5), ranges)
    out2, p2 = synthesize_low_light(img, np.random.default_rng(5), ranges)
    np.testing.assert_array_equal(out1, out2)
    assert p1 == p2 and out1.dtype == np.uint8
    np.testing.assert_array_equal(img, day_image())  # input untouched


@pytest.mark.parametrize('kwargs, match', [
    (dict(level='dusk'), 'Unknown low-light level'),
    (dict(darkness_range=(0.1, 0.01)), 'darkness_range'),
    (dict(darkness_range=(0.5, 1.5)), 'darkness_range'),
    (dict(darkness_range=(0., 0.1)), 'darkness_range'),
    (dict(shot_noise_range=(0.1, 2.)), 'shot_noise_range'),
    (dict(gamma_range=(3., 2.)), 'gamma_range'),
    (dict(gamma_range=0.5), 'gamma_range must be a tuple'),
    (dict(quant_bits=(12, 40)), 'quant_bits'),
    (dict(rgb_gain_mean_std=(-1., 0.1)), 'rgb_gain_mean_std'),
    (dict(seed=-1), 'seed'),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        LowLightSynthesis(**kwargs)


@pytest.mark.parametrize('img', [
    np.zeros((8, 8), np.uint8),
    np.zeros((8, 8, 4), np.uint8),
    np.zeros((8, 8, 3), np.int16),
])
def test_bad_images(img):
    with pytest.raises(ValueError, match=r'results\["img"\] of bad\.png'):
        LowLightSynthesis(seed=0)(dict(img=img, img_path='bad.png'))


def test_missing_img_key():
    with pytest.raises(KeyError, match='LoadImageFromFile'):
        LowLightSynthesis()(dict(img_path=osp.join('x', 'a.png')))
