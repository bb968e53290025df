import pytest
import torch

from mmllie.models.enhancers import (GPLLIE, GlobalEnhancementModule,
                                     PixelwiseAdjustmentModule)
from mmllie.registry import MODELS


def _count(module):
    return sum(p.numel() for p in module.parameters())


def test_default_parameter_count_matches_paper():
    n = _count(GPLLIE())
    print(f'GPLLIE parameters: {n:,}')
    assert abs(n - 577_000) / 577_000 <= 0.02
    assert _count(GPLLIE(use_pam=False)) + _count(GPLLIE(use_gem=False)) == n


def test_registered_and_ablations():
    assert MODELS.get('GPLLIE') is GPLLIE
    gem_only = MODELS.build(dict(type='mmllie.GPLLIE', use_pam=False))
    pam_only = MODELS.build(dict(type='mmllie.GPLLIE', use_gem=False))
    assert gem_only.pam is None and gem_only.gem is not None
    assert pam_only.gem is None and pam_only.pam is not None
    x = torch.rand(1, 3, 20, 24)
    assert torch.equal(GPLLIE(use_gem=False, use_pam=False)(x), x)


@pytest.mark.parametrize('shape', [(1, 3, 257, 193), (2, 3, 37, 53),
                                   (1, 3, 16, 16), (1, 3, 5, 7)])
@pytest.mark.parametrize('fill', [0.0, 1.0, None])
def test_finite_for_any_size_and_extreme_images(shape, fill):
    model = GPLLIE().eval()
    x = torch.rand(shape) if fill is None else torch.full(shape, fill)
    with torch.no_grad():
        y = model(x)
    assert y.shape == x.shape
    assert torch.isfinite(y).all()


def test_default_start_is_the_identity():
    # the untrained default is never worse than no enhancer
    model = GPLLIE()
    for x in (torch.rand(2, 3, 40, 60) * 0.02, torch.rand(1, 3, 17, 33)):
        torch.testing.assert_close(model(x), x, rtol=0, atol=0)


def test_gem_positive_gains_and_exposure_prior_modes():
    dark = torch.rand(2, 3, 40, 60) * 0.02
    gains = GlobalEnhancementModule()(dark)
    assert gains.shape == (2, 3) and (gains > 0).all()
    torch.testing.assert_close(gains, torch.ones(2, 3))
    # 'fixed': starts at the grey-world exposure
    fixed = GlobalEnhancementModule(exposure_prior='fixed')
    brightened = dark * fixed(dark)[:, :, None, None]
    assert brightened.mean().item() == pytest.approx(0.4, rel=0.1)
    bright = torch.full((1, 3, 8, 8), 0.7)  # a well-lit image: unchanged
    torch.testing.assert_close(fixed(bright), torch.ones(1, 3))
    assert GlobalEnhancementModule(exposure_prior=True).exposure_prior == \
        'fixed'
    assert torch.allclose(
        GlobalEnhancementModule(exposure_prior=False, init_gain=3.)(dark),
        torch.full((2, 3), 3.))
    with pytest.raises(ValueError, match='exposure_prior'):
        GlobalEnhancementModule(exposure_prior='grey')


def _brighten(gem, steps=100):
    """Adam 5e-4 towards a 0.4 mean; per-image brightness after."""
    torch.manual_seed(0)
    x = torch.rand(8, 3, 24, 32) * torch.linspace(.01, .06, 8)[:, None, None,
                                                               None]
    opt = torch.optim.Adam(gem.parameters(), 5e-4)
    for _ in range(steps):
        y = (gem(x)[:, :, None, None] * x).mean(dim=(1, 2, 3))
        loss = (y - .4).square().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        return (gem(x)[:, :, None, None] * x).mean(dim=(1, 2, 3))


def test_identity_start_reaches_large_gains_fast():
    # from gain 1 at a 0.035 mean to ~0.4 in 100 Adam steps (gains ×10-40)
    gem = GlobalEnhancementModule(channels=(8, ) * 5)
    assert _brighten(gem).mean().item() == pytest.approx(0.4, abs=0.08)
    # and the weight of the per-image exposure prior has moved towards 1
    assert gem.log_gain_scale * gem.prior_weight.item() > 0.3


def test_pam_bound():
    pam = PixelwiseAdjustmentModule(max_adjust=0.1)
    torch.nn.init.normal_(pam.out_conv.weight, std=10.)
    f = pam(torch.rand(1, 3, 20, 24))
    assert f.abs().max() <= 0.1 and f.abs().max() > 0.05
    with pytest.raises(ValueError, match='max_adjust'):
        PixelwiseAdjustmentModule(max_adjust=0.)


def test_pam_starts_at_zero_and_pads_any_size():
    pam = PixelwiseAdjustmentModule()
    x = torch.rand(1, 3, 37, 53)
    assert torch.equal(pam(x), torch.zeros_like(x))


def test_every_parameter_gets_a_gradient():
    torch.manual_seed(0)
    model = GPLLIE()
    # give the zero-initialised heads a value so gradients reach all layers
    for head in (model.gem.head, model.pam.out_conv):
        torch.nn.init.normal_(head.weight, std=0.1)
    x = torch.rand(2, 3, 37, 53) * 0.1
    model(x).square().mean().backward()
    for name, p in model.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name


def test_gradcheck_small_gem():
    # the exposure prior is a stop-gradient by design: check the CNN path
    gem = GlobalEnhancementModule(
        channels=(2, 2, 2, 2, 2), exposure_prior='none').double()
    torch.nn.init.normal_(gem.head.weight, std=0.5)
    x = (torch.rand(1, 3, 9, 11, dtype=torch.float64) * 0.5 + 0.1)
    x.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda t: gem(t), (x, ))


def test_bad_widths():
    with pytest.raises(ValueError, match='5 widths'):
        GlobalEnhancementModule(channels=(8, 8))
    with pytest.raises(ValueError, match='4 encoder widths'):
        PixelwiseAdjustmentModule(channels=(8, 8, 8))
