import numpy as np
import pytest
import torch

from mmllie.datasets.transforms.low_light import (apply_low_light,
                                                  resolve_low_light_ranges,
                                                  sample_low_light_params)
from mmllie.models.darkening import (BatchLowLightSynthesis,
                                     apply_batch_low_light,
                                     sample_batch_low_light_params)

DEVICES = ['cpu'] + (['cuda'] if torch.cuda.is_available() else [])
PARAMS = dict(
    gamma=2.6,
    rgb_gain=0.8,
    red_gain=2.1,
    blue_gain=1.7,
    darkness=0.04,
    shot_noise=2e-3,
    read_noise=2e-5,
    quant_bits=12)


def _day(h=192, w=192):
    """A smooth day image in [0.05, 0.95]."""
    y, x = np.mgrid[0:h, 0:w] / max(h, w)
    img = np.stack([x, y, (x + y) / 2], -1)
    return (0.05 + 0.9 * img).astype(np.float32)


@pytest.mark.parametrize('device', DEVICES)
def test_matches_transform_statistically(device):
    img = _day()
    x = torch.from_numpy(img).permute(2, 0, 1)[None].to(device)
    params = {k: torch.tensor([v]) for k, v in PARAMS.items()}
    ref_clean = apply_low_light(img, PARAMS)
    ref_noisy = apply_low_light(img, PARAMS, np.random.default_rng(0))
    g = torch.Generator(device=device).manual_seed(0)
    clean = apply_batch_low_light(x, params, noise=False)
    noisy = apply_batch_low_light(x, params, g)
    clean = clean[0].permute(1, 2, 0).cpu().numpy()
    noisy = noisy[0].permute(1, 2, 0).cpu().numpy()
    # the noiseless path is the same function
    np.testing.assert_allclose(clean, ref_clean, atol=2e-3)
    # mean brightness and noise variance within a few percent
    assert abs(noisy.mean() / ref_noisy.mean() - 1) < 0.02
    var, ref_var = (noisy - clean).var(), (ref_noisy - ref_clean).var()
    assert abs(var / ref_var - 1) < 0.05, (var, ref_var)
    assert ref_noisy.mean() < 0.5 * img.mean()


@pytest.mark.parametrize('level', ['normal', 'hard', 'extreme', 'full'])
def test_parameter_distributions_match(level):
    ranges = resolve_low_light_ranges(level)
    rng = np.random.default_rng(0)
    ref = [sample_low_light_params(rng, ranges) for _ in range(4000)]
    got = sample_batch_low_light_params(4000, ranges, torch.device('cpu'),
                                        torch.Generator().manual_seed(0))
    for key in PARAMS:
        a = np.array([p[key] for p in ref], np.float64)
        b = got[key].double().numpy()
        if key in ('shot_noise', 'read_noise'):  # log-distributed
            a, b = np.log(a), np.log(b)
        assert abs(b.mean() - a.mean()) < 0.05 * a.std() + 1e-9, key
        assert abs(b.std() / max(a.std(), 1e-12) - 1) < 0.1 or a.std() == 0
    for key in ('gamma', 'darkness', 'red_gain', 'blue_gain'):
        lo, hi = ranges[f'{key}_range']
        assert lo <= got[key].min() and got[key].max() <= hi, key


@pytest.mark.parametrize('device', DEVICES)
def test_seeded_and_new_every_call(device):
    x = torch.rand(3, 3, 17, 23, device=device)
    a, b = BatchLowLightSynthesis(
        'hard', seed=3), BatchLowLightSynthesis(
            'hard', seed=3)
    first, second = a(x), a(x)
    assert torch.equal(first, b(x)) and torch.equal(second, b(x))
    assert not torch.equal(first, second)  # new darkness per iteration
    assert first.shape == x.shape and first.device == x.device
    assert 0 <= first.min() and first.max() <= 1
    assert not torch.equal(first[0], first[1])  # per image
    # levels order: normal brighter than extreme
    normal = BatchLowLightSynthesis('normal', seed=0)(x).mean()
    assert normal > BatchLowLightSynthesis('extreme', seed=0)(x).mean()


def test_bad_input():
    with pytest.raises(ValueError, match='Unknown low-light level'):
        BatchLowLightSynthesis('dusk')
    with pytest.raises(ValueError, match='darkness_range'):
        BatchLowLightSynthesis(darkness_range=(0.5, 0.1))
    with pytest.raises(ValueError, match=r'B×3×H×W'):
        BatchLowLightSynthesis()(torch.rand(3, 8, 8))


def test_pair_is_the_same_darkening_without_noise():
    x = torch.rand(3, 3, 32, 32, generator=torch.Generator().manual_seed(5))
    dark, clean = BatchLowLightSynthesis(level='hard', seed=1).pair(x)
    # the same images as forward with the same stream
    assert torch.equal(dark, BatchLowLightSynthesis(level='hard', seed=1)(x))
    # the same exposure (means agree) without the noise: what the same
    # stream gives when the noise is (almost) zero
    assert torch.allclose(
        dark.mean((1, 2, 3)), clean.mean((1, 2, 3)), rtol=0.1)
    assert (dark - clean).abs().mean() > 0.01
    quiet = BatchLowLightSynthesis(
        level='hard', seed=1, shot_noise_range=(1e-9, 1e-9))
    quiet_dark, quiet_clean = quiet.pair(x)
    assert torch.allclose(quiet_clean, clean)
    assert (quiet_dark - quiet_clean).abs().mean() < 1e-3
    assert BatchLowLightSynthesis(seed=0).pair(x, reference=False)[1] is None
