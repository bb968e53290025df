"""Large images tile by tile: GEM on the whole image, PAM on overlapping
tiles; the same output as the whole image at once."""
import numpy as np
import pytest
import torch

from mmllie.apis.enhance import enhance_batches, enhance_tiled, supports_tiling
from mmllie.models.enhancers import GPLLIE, ZeroDCE


def _gpllie(**kwargs) -> GPLLIE:
    torch.manual_seed(0)
    model = GPLLIE(**kwargs).eval()
    for p in model.parameters():  # no zero-initialised (identity) layers
        if not p.any():
            p.data.normal_(0, 0.1)
    return model


def _sizes(module) -> list:
    seen = []
    module.register_forward_pre_hook(
        lambda m, args: seen.append(tuple(args[0].shape[-2:])))
    return seen


@pytest.mark.parametrize('hw', [(200, 333), (256, 256), (97, 410)])
def test_tiled_equals_untiled(hw):
    model = _gpllie()
    x = torch.rand(2, 3, *hw) * 0.3
    with torch.no_grad():
        whole = model(x)
    seen = _sizes(model.pam)
    tiled = enhance_tiled(model, x, tile=64, overlap=64)
    assert max(h * w for h, w in seen) <= 192 * 192  # one tile at a time
    assert len(seen) > 4
    torch.testing.assert_close(tiled, whole, rtol=0, atol=1e-6)
    # without overlap the tile borders show
    seams = enhance_tiled(model, x, tile=64, overlap=0)
    assert (seams - whole).abs().max() > 1e-3


def test_gem_only_and_what_cannot_tile():
    model = _gpllie(use_pam=False)
    x = torch.rand(1, 3, 70, 90)
    torch.testing.assert_close(enhance_tiled(model, x, 32, 16), model(x))
    assert not supports_tiling(ZeroDCE())
    with pytest.raises(TypeError, match='ZeroDCE cannot be enhanced tile'):
        enhance_tiled(ZeroDCE(), x)
    with pytest.raises(ValueError, match='multiples of PAM.s stride 16'):
        enhance_tiled(_gpllie(), x, tile=50)


def test_images_above_the_threshold_are_tiled():
    model = _gpllie()
    rng = np.random.default_rng(0)
    small = (rng.random((40, 60, 3)) * 80).astype(np.uint8)
    big = (rng.random((160, 224, 3)) * 80).astype(np.uint8)
    untiled = list(enhance_batches(model, [small, big], tile_above=None))
    seen = _sizes(model.pam)
    got = list(
        enhance_batches(
            model, [small, big], tile_above=100 * 100, tile=64, overlap=64))
    assert (40, 60) in seen and (160, 224) not in seen
    for a, b in zip(got, untiled):
        assert np.abs(a.astype(int) - b.astype(int)).max() <= 1
