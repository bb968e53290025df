import pytest
import torch

from mmllie.models.enhancers import (GPLLIE, NoiseAdaptiveSmoothing,
                                     estimate_noise)
from mmllie.models.enhancers.smoothing import gaussian_kernel


def _ramp(h: int = 96, w: int = 128) -> torch.Tensor:
    """A smooth horizontal ramp (no noise), (1, 3, h, w)."""
    return torch.linspace(0.1, 0.6, w).expand(1, 3, h, w).clone()


@pytest.mark.parametrize('sigma', [0.01, 0.03, 0.1])
def test_estimate_noise_recovers_known_noise(sigma):
    g = torch.Generator().manual_seed(0)
    noise = torch.randn(1, 1, 96, 128, generator=g) * sigma
    # the same noise in every channel: the channel mean keeps its std
    x = _ramp() + noise
    est = estimate_noise(x)
    assert est.shape == (1, )
    assert est.item() == pytest.approx(sigma, rel=0.05)
    assert estimate_noise(_ramp()).item() < 1e-5


def test_estimate_noise_refuses_tiny_images():
    with pytest.raises(ValueError, match='at least 3'):
        estimate_noise(torch.rand(1, 3, 2, 8))


def test_gaussian_kernel_is_normalised_and_symmetric():
    k = gaussian_kernel(1.4)
    assert k.numel() == 2 * 5 + 1  # radius ceil(3 * 1.4)
    assert k.sum().item() == pytest.approx(1.0)
    assert torch.equal(k, k.flip(0))


def test_starts_as_identity_and_blends_blurs():
    x = torch.rand(2, 3, 37, 53)
    smooth = NoiseAdaptiveSmoothing()
    assert torch.equal(smooth(x), x)
    # a constant image is left as it is by every blur
    flat = torch.full((1, 3, 20, 30), 0.25)
    assert torch.allclose(smooth.blur(flat, 2), flat, atol=1e-6)
    # all weight on the widest blur: noise std falls by its known factor
    with torch.no_grad():
        smooth.head[2].bias.copy_(torch.tensor([0., 0., 1.]))
    noisy = 0.5 + 0.05 * torch.randn(
        1, 3, 128, 128, generator=torch.Generator().manual_seed(1))
    w = smooth.weights(noisy)
    assert w[0, :2].abs().max() < 1e-6 and w[0, 2] > 0.99
    k = gaussian_kernel(2.0)
    # white noise through a separable blur: std x sqrt(sum k^2) per axis
    expected = 0.05 * (k**2).sum().item()
    assert smooth(noisy).std().item() == pytest.approx(expected, rel=0.15)


def test_weights_are_a_bounded_blend():
    smooth = NoiseAdaptiveSmoothing()
    with torch.no_grad():
        smooth.head[2].bias.fill_(5.)
    w = smooth.weights(torch.rand(4, 3, 16, 16))
    assert torch.allclose(w.abs().sum(dim=1), torch.ones(4), atol=1e-5)


def test_gradient_reaches_the_head():
    smooth = NoiseAdaptiveSmoothing()
    x = torch.rand(2, 3, 24, 40)
    (smooth(x) - 0.5).pow(2).mean().backward()
    assert smooth.head[2].weight.grad is not None
    assert smooth.head[2].bias.grad.abs().sum() > 0


def test_gpllie_with_smoothing_starts_as_gpllie():
    torch.manual_seed(0)
    plain = GPLLIE().eval()
    smoothed = GPLLIE(smoothing=dict(sigmas=(1.0, 2.0))).eval()
    smoothed.load_state_dict(plain.state_dict(), strict=False)
    x = torch.rand(1, 3, 40, 56) * 0.2
    with torch.no_grad():
        assert torch.equal(smoothed(x), plain(x))
    assert smoothed.smoothing.sigmas == (1.0, 2.0)


@pytest.mark.parametrize('kwargs', [
    dict(sigmas=()),
    dict(sigmas=(0., 1.)),
    dict(hidden=0),
    dict(weight_scale=0.),
])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError, match='NoiseAdaptiveSmoothing'):
        NoiseAdaptiveSmoothing(**kwargs)


def test_noise_gated_prior_blurs_noisy_frames_only():
    smooth = NoiseAdaptiveSmoothing(prior_index=1, noise_range=(0.004, 0.012))
    g = torch.Generator().manual_seed(2)
    clean = _ramp() + 0.002 * torch.randn(1, 1, 96, 128, generator=g)
    noisy = _ramp() + 0.03 * torch.randn(1, 1, 96, 128, generator=g)
    w = smooth.weights(torch.cat([clean, noisy]))
    assert torch.equal(w[0], torch.zeros(3))  # below lo: left as it is
    assert torch.allclose(w[1], torch.tensor([0., 1., 0.]))  # above hi
    middle = _ramp() + 0.007 * torch.randn(1, 1, 96, 128, generator=g)
    assert 0.2 < smooth.weights(middle)[0, 1] < 0.8
    assert torch.equal(smooth(clean), clean)
    # the prior's weight is learnt
    smooth(noisy).sub(_ramp()).pow(2).mean().backward()
    assert smooth.prior_weight.grad.abs() > 0
    with pytest.raises(ValueError, match='prior_index'):
        NoiseAdaptiveSmoothing(prior_index=3)
    with pytest.raises(ValueError, match='noise_range'):
        NoiseAdaptiveSmoothing(prior_index=0, noise_range=(0.01, 0.01))


def _step_edge(h: int = 64, w: int = 96) -> torch.Tensor:
    """A vertical step edge 0.2 | 0.6, (1, 3, h, w)."""
    x = torch.full((1, 3, h, w), 0.2)
    x[..., w // 2:] = 0.6
    return x


def test_guided_candidate_smooths_flat_regions_and_keeps_edges():
    smooth = NoiseAdaptiveSmoothing(
        prior_index=3, guided=dict(radius=2, eps_scale=4.0, iterations=2))
    assert smooth.num_candidates == 4
    g = torch.Generator().manual_seed(3)
    edge = _step_edge()
    noisy = edge + 0.03 * torch.randn(1, 1, 64, 96, generator=g)
    w = smooth.weights(noisy)
    assert torch.allclose(w[0], torch.tensor([0., 0., 0., 1.]))
    out = smooth(noisy)
    # the noise in the flat halves falls ...
    flat = (slice(None), slice(None), slice(8, -8))
    for cols in (slice(4, 40), slice(56, 92)):
        before = (noisy - edge)[flat + (cols, )].std()
        after = (out - edge)[flat + (cols, )].std()
        assert after < 0.6 * before
    # ... while the step (0.4, far above the noise) stays sharp: the mean
    # jump across its two middle columns is kept, unlike a blur's
    jump = (out[..., 48] - out[..., 47]).mean()
    blurred = smooth.blur(noisy, 2)
    assert jump > 0.3 > (blurred[..., 48] - blurred[..., 47]).mean()


def test_guided_candidate_eps_scale_is_learnt_and_checked():
    smooth = NoiseAdaptiveSmoothing(prior_index=3, guided=dict(eps_scale=2.))
    assert smooth.guided == dict(radius=2, eps_scale=2., iterations=2)
    x = _ramp() + 0.03 * torch.randn(
        1, 1, 96, 128, generator=torch.Generator().manual_seed(4))
    (smooth(x) - _ramp()).pow(2).mean().backward()
    assert smooth.guided_log_eps.grad.abs() > 0
    assert smooth.head[2].weight.shape == (4, 16)
    for bad in (dict(radius=0), dict(eps_scale=0.), dict(iterations=1.5),
                dict(size=3), '{}'):
        with pytest.raises(ValueError, match='guided'):
            NoiseAdaptiveSmoothing(guided=bad)
    with pytest.raises(ValueError, match='prior_index'):
        NoiseAdaptiveSmoothing(prior_index=4, guided={})


def test_prior_shared_by_several_candidates():
    smooth = NoiseAdaptiveSmoothing(
        prior_index=(1, 3), prior_shares=(0.7, 0.3), guided={})
    assert smooth.state_dict().keys() == NoiseAdaptiveSmoothing(
        prior_index=3, guided={}).state_dict().keys()
    g = torch.Generator().manual_seed(5)
    noisy = _ramp() + 0.03 * torch.randn(1, 1, 96, 128, generator=g)
    w = smooth.weights(noisy)
    assert torch.allclose(w[0], torch.tensor([0., 0.7, 0., 0.3]))
    # a noisy frame starts as the shares' mix of the two candidates
    noise = smooth.noise(noisy)
    mix = 0.7 * smooth.blur(noisy, 1) + 0.3 * smooth.guided_filter(
        noisy, noise)
    assert torch.allclose(smooth(noisy), mix, atol=1e-6)
    # equal shares without prior_shares; a clean frame is left alone
    even = NoiseAdaptiveSmoothing(prior_index=[0, 2])
    assert torch.allclose(even.weights(noisy)[0], torch.tensor([.5, 0, .5]))
    clean = _ramp() + 0.002 * torch.randn(1, 1, 96, 128, generator=g)
    assert torch.equal(even(clean), clean)
    smooth(noisy).sub(_ramp()).pow(2).mean().backward()
    assert smooth.prior_weight.grad.abs() > 0


@pytest.mark.parametrize('kwargs, match', [
    (dict(prior_index=(1, 1)), 'distinct'),
    (dict(prior_index=(0, 3)), 'distinct'),
    (dict(prior_index=()), 'distinct'),
    (dict(prior_index=(0, 1), prior_shares=(0.5, 0.6)), 'summing to 1'),
    (dict(prior_index=(0, 1), prior_shares=(1.0, 0.0)), 'positive share'),
    (dict(prior_index=(0, 1), prior_shares=(1.0, )), 'prior_shares'),
    (dict(prior_shares=(1.0, )), 'needs a prior_index'),
])
def test_prior_shares_are_checked(kwargs, match):
    with pytest.raises(ValueError, match=match):
        NoiseAdaptiveSmoothing(**kwargs)
