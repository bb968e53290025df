import pytest
import torch

from mmllie.models.enhancers import (DenoiserPretrainer,
                                     NoiseAdaptiveSmoothing, ResidualDenoiser)
from mmllie.models.enhancers.filters import gaussian_kernel, separable_filter


def _noisy(b: int = 2, h: int = 40, w: int = 56, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    clean = torch.linspace(0.05, 0.2, w).expand(b, 3, h, w).clone()
    return clean, (clean + 0.03 * torch.randn(b, 3, h, w, generator=g))


def _randomise(module: torch.nn.Module, seed: int = 0) -> None:
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.add_(0.1 * torch.randn(p.shape, generator=g))


def test_starts_as_its_blur_at_any_size():
    den = ResidualDenoiser(width=4, base_sigma=1.5)
    for h, w in ((17, 23), (40, 56)):
        x = torch.rand(2, 3, h, w)
        assert torch.allclose(
            den(x), separable_filter(x, gaussian_kernel(1.5)))


def test_sees_noise_relative_to_brightness():
    den = ResidualDenoiser(width=4)
    _randomise(den)
    _, x = _noisy()
    out = den(x)
    assert not torch.allclose(out, separable_filter(x, den.kernel))
    # a frame twice as bright (same relative noise) gets twice the output
    assert torch.allclose(den(2 * x), 2 * out, atol=1e-5)


@pytest.mark.parametrize('kwargs', [
    dict(width=0),
    dict(base_sigma=0.),
    dict(min_brightness=0.),
])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError, match='ResidualDenoiser'):
        ResidualDenoiser(**kwargs)


def _pretrainer(**kwargs) -> DenoiserPretrainer:
    return DenoiserPretrainer(
        enhancer=dict(type='ResidualDenoiser', width=4),
        darkening=dict(level='hard', seed=0),
        **kwargs)


def test_pretrainer_loss_is_the_relative_error_to_the_noiseless_darkening():
    torch.manual_seed(0)
    model = _pretrainer()
    day = torch.rand(2, 3, 32, 32)
    dark, clean = model.darkening.pair(day, torch.Generator().manual_seed(3))
    model.darkening.rng._generator = torch.Generator().manual_seed(3)
    loss = model(day, mode='loss')['loss_denoise']
    scale = dark.mean((1, 2, 3), keepdim=True).clamp(min=0.02)
    expected = ((model.enhancer(dark) - clean) / scale).pow(2).mean()
    assert torch.allclose(loss, expected)
    loss.backward()
    assert all(p.grad is not None for p in model.enhancer.parameters())
    assert model(dark, mode='tensor').shape == dark.shape
    assert len(model(dark, mode='predict')) == 2
    with pytest.raises(ValueError, match='mode'):
        model(dark, mode='features')
    with pytest.raises(ValueError, match='min_brightness'):
        _pretrainer(min_brightness=0)


def test_pretraining_lowers_the_error_below_the_blur():
    torch.manual_seed(0)
    model = _pretrainer()
    day = torch.rand(4, 3, 32, 32, generator=torch.Generator().manual_seed(1))
    day = separable_filter(day, gaussian_kernel(2.))  # smooth scenes

    def error() -> float:
        with torch.no_grad():
            g = torch.Generator().manual_seed(9)
            model.darkening.rng._generator = g
            return model(day, mode='loss')['loss_denoise'].item()

    start = error()
    optim = torch.optim.Adam(model.enhancer.parameters(), lr=3e-3)
    for _ in range(40):
        optim.zero_grad()
        model(day, mode='loss')['loss_denoise'].backward()
        optim.step()
    assert error() < 0.8 * start


def test_smoothing_blends_a_frozen_denoiser_in():
    smooth = NoiseAdaptiveSmoothing(
        prior_index=3, denoiser=dict(type='ResidualDenoiser', width=4))
    _randomise(smooth.denoiser)
    assert smooth.num_candidates == 4
    assert not any(p.requires_grad for p in smooth.denoiser.parameters())
    smooth.train()
    assert smooth.training and not smooth.denoiser.training
    clean, noisy = _noisy()
    w = smooth.weights(noisy)
    assert torch.allclose(w, torch.tensor([[0., 0., 0., 1.]] * 2))
    out = smooth(noisy)
    with torch.no_grad():
        assert torch.allclose(out, smooth.denoiser(noisy))
    out.sub(clean).pow(2).mean().backward()
    assert smooth.prior_weight.grad.abs() > 0  # the blend learns ...
    assert all(p.grad is None for p in smooth.denoiser.parameters())
    # ... and a clean frame is left alone
    assert torch.equal(smooth(clean), clean)
    with pytest.raises(ValueError, match='denoiser'):
        NoiseAdaptiveSmoothing(prior_index=4, denoiser=dict(type='ZeroDCE'))
