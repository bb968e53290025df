"""LightGPLLIE / ReducedResolutionPAM: PAM at a reduced resolution."""
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmllie.models.enhancers import (GPLLIE, LightGPLLIE,
                                     PixelwiseAdjustmentModule,
                                     ReducedResolutionPAM, build_enhancer,
                                     deploy_enhancer)


def random_pam_weights(model: nn.Module, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.normal_(0, 0.2)
            m.running_var.uniform_(0.3, 3.0)
            nn.init.uniform_(m.weight, 0.5, 1.5)
    for m in model.modules():  # the zero-initialised output convs
        if isinstance(m, nn.Conv2d) and not m.weight.any():
            nn.init.normal_(m.weight, std=0.1)
    return model.eval()


@pytest.mark.parametrize('shape', [(2, 3, 37, 53), (1, 3, 64, 64),
                                   (1, 3, 17, 19)])
@pytest.mark.parametrize('scale', [2, 4])
def test_map_has_input_size(shape, scale):
    pam = random_pam_weights(ReducedResolutionPAM(scale=scale))
    with torch.no_grad():
        f = pam(torch.rand(shape))
    assert f.shape == shape and torch.isfinite(f).all()
    assert f.abs().max() > 0


@pytest.mark.parametrize('scale, size', [(1, (40, 56)), (4, (64, 96))])
def test_runs_pam_on_the_pooled_image(scale, size):
    """The map is PAM's map of the ``scale``x average-pooled image,
    upsampled: at scale 1, PAM's own map."""
    pam = random_pam_weights(PixelwiseAdjustmentModule())
    light = ReducedResolutionPAM(scale=scale).eval()
    light.load_state_dict(pam.state_dict())
    x = torch.rand(2, 3, *size)
    with torch.no_grad():
        small = pam(F.avg_pool2d(x, scale))
        expected = F.interpolate(
            small, size=size, mode='bilinear', align_corners=False)
        torch.testing.assert_close(light(x), expected)
        if scale == 1:
            torch.testing.assert_close(light(x), pam(x))


def test_same_keys_as_gpllie_and_loads_its_weights():
    full = random_pam_weights(GPLLIE())
    light = LightGPLLIE(pam_scale=2)
    assert set(light.state_dict()) == set(full.state_dict())
    light.load_state_dict(full.state_dict())
    assert sum(p.numel() for p in light.parameters()) == 577_963


def test_starts_as_gem_only_and_trains():
    model = LightGPLLIE()
    x = torch.rand(2, 3, 48, 64) * 0.1
    # zero-initialised output conv: the map starts at 0
    torch.testing.assert_close(model(x), GPLLIE(use_pam=False)(x))
    model(x).mean().backward()
    assert model.pam.out_conv.weight.grad.abs().sum() > 0


def test_cheaper_than_gpllie():
    from mmengine.analysis import FlopAnalyzer
    x = torch.rand(1, 3, 128, 128)
    full = FlopAnalyzer(GPLLIE().eval(), (x, )).total()
    light = FlopAnalyzer(LightGPLLIE(pam_scale=4).eval(), (x, )).total()
    assert light < full / 12


def _linear_in_the_image(alpha: float, beta: float):
    """A PAM stand-in whose map is ``alpha * x + beta`` of its input."""

    def forward(self, x):
        return alpha * x + beta

    return forward


def test_guided_upsampling_keeps_full_resolution_detail(monkeypatch):
    """A map linear in the pooled image is brought back as the same linear
    function of the full-resolution image (edges and noise included);
    bilinear resizing keeps only the pooled image's blur of it."""
    monkeypatch.setattr(PixelwiseAdjustmentModule, 'forward',
                        _linear_in_the_image(-0.8, 0.1))
    torch.manual_seed(0)
    x = torch.rand(2, 3, 64, 96)
    expected = -0.8 * x + 0.1
    pam = ReducedResolutionPAM(
        scale=4, upsampling='guided', guided=dict(eps=1e-8))
    guided = pam(x)
    bilinear = ReducedResolutionPAM(scale=4)(x)
    torch.testing.assert_close(guided, expected, rtol=0, atol=1e-3)
    assert (bilinear - expected).abs().mean() > 0.1


def test_guided_upsampling_averages_what_the_map_ignores(monkeypatch):
    """A map that is constant per window is a constant at full resolution
    too: ``A = 0`` where the map does not vary with the image."""
    monkeypatch.setattr(PixelwiseAdjustmentModule, 'forward',
                        _linear_in_the_image(0., 0.25))
    x = torch.rand(1, 3, 32, 48)
    out = ReducedResolutionPAM(scale=4, upsampling='guided')(x)
    torch.testing.assert_close(out, torch.full_like(x, 0.25))


def test_guided_starts_as_gem_only_and_trains():
    model = LightGPLLIE(pam=dict(upsampling='guided'))
    x = torch.rand(2, 3, 48, 64) * 0.1
    torch.testing.assert_close(model(x), GPLLIE(use_pam=False)(x))
    model(x).mean().backward()
    assert model.pam.out_conv.weight.grad.abs().sum() > 0
    assert set(model.state_dict()) == set(GPLLIE().state_dict())


@pytest.mark.parametrize('upsampling', ['bilinear', 'guided'])
def test_deploy_equals_eager(upsampling):
    model = random_pam_weights(LightGPLLIE(pam=dict(upsampling=upsampling)))
    x = torch.rand(2, 3, 37, 53)
    with torch.no_grad():
        torch.testing.assert_close(
            deploy_enhancer(model)(x), model(x), rtol=0, atol=1e-5)


def test_built_from_config():
    model = build_enhancer(dict(type='LightGPLLIE', pam_scale=2))
    assert isinstance(model.pam, ReducedResolutionPAM)
    assert model.pam.scale == 2


@pytest.mark.parametrize('scale', [0, -1, 1.5, True])
def test_bad_scale(scale):
    with pytest.raises(ValueError, match='scale must be an int'):
        ReducedResolutionPAM(scale=scale)


@pytest.mark.parametrize('kwargs, match', [
    (dict(upsampling='nearest'), 'upsampling must be one of'),
    (dict(upsampling='guided', guided=dict(r=2)), 'unknown guided keys'),
    (dict(upsampling='guided', guided=dict(radius=0)), 'integer radius'),
    (dict(upsampling='guided', guided=dict(eps=0.)), 'eps > 0'),
])
def test_bad_upsampling(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ReducedResolutionPAM(**kwargs)
