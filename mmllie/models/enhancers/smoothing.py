"""Noise-adaptive smoothing: the denoising a frozen recognizer asks for.

A frozen day recognizer fails on dark frames mostly because of their noise,
not their brightness: on real Cityscapes frames darkened by
:class:`~mmllie.datasets.transforms.LowLightSynthesis`, a fixed Gaussian
blur (sigma 1) in front of the network recovers more of the day -> night
drop than GEM + PAM trained through it for 300 iterations (measured in
``projects/espnetv2_cityscapes/README.md``). A UNet can represent a blur,
but its recognizer loss teaches one slowly; a few blur strengths weighted
by one number each are learnt in tens of iterations.
"""
import math
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmllie.registry import MODELS
from .builder import build_enhancer
from .filters import gaussian_kernel, separable_filter

#: Immerkær's noise-estimation kernel (the difference of two Laplacians).
_NOISE_KERNEL = ((1., -2., 1.), (-2., 4., -2.), (1., -2., 1.))


def estimate_noise(x: torch.Tensor) -> torch.Tensor:
    """Standard deviation of white noise in ``x``, per image.

    Immerkær, "Fast Noise Variance Estimation", CVIU 1996: the mean
    absolute response of a 3×3 kernel that cancels smooth image content,
    times ``sqrt(pi / 2) / 6``, on the channel mean.

    Args:
        x (Tensor): (B, C, H, W) images, H and W at least 3.

    Returns:
        Tensor: (B, ) noise standard deviations, in the units of ``x``.
    """
    if x.shape[-2] < 3 or x.shape[-1] < 3:
        raise ValueError('estimate_noise: images must be at least 3×3, got '
                         f'{tuple(x.shape[-2:])}')
    kernel = x.new_tensor(_NOISE_KERNEL)[None, None]
    response = F.conv2d(x.mean(dim=1, keepdim=True), kernel)
    return response.abs().mean(dim=(1, 2, 3)) * (math.sqrt(math.pi / 2) / 6)


@MODELS.register_module()
class NoiseAdaptiveSmoothing(nn.Module):
    """Blend an image with Gaussian-smoothed copies by its noise level.

    ``out = x + sum_k w_k (G_{sigma_k} * x - x)`` with one weight per blur
    strength and image::

        r = p(noise) · e_prior + tanh(s · head([log noise, log mean]))
        w = r / max(1, sum_k |r_k|)

    ``head`` is a two-layer perceptron on the image's noise level
    (:func:`estimate_noise`) and mean brightness, zero-initialised at its
    last layer, so the recognizer's loss decides how much to smooth a
    brighter / cleaner or a darker / noisier frame. The weights' absolute
    values sum to at most 1 (a blend, never an extrapolation; a negative
    weight sharpens).

    The optional **noise-gated prior** ``p`` puts the candidate
    ``prior_index`` in at the start, in proportion to the noise:
    ``p = clamp(log(noise / lo) / log(hi / lo), 0, 1)`` with
    ``(lo, hi) = noise_range`` — a clean day frame (noise estimate ~0.002
    on [0, 1] images) is left as it is, a dark, noisy one (above ``hi``) is
    blurred. Its weight ``alpha · p`` has a learnable ``alpha`` that starts
    at 1. Several candidates can share the prior (``prior_index=(3, 4)``,
    ``prior_shares=(0.7, 0.3)``): ``e_prior`` is then the shares instead of
    a one-hot vector, e.g. the guided filter and a learnt denoiser averaged.
    ``prior_index=None`` (default) has no prior: the module starts as the
    **identity**.

    Args:
        sigmas (Sequence[float]): Standard deviations (pixels) of the
            Gaussian blurs blended in. Defaults to (0.5, 1.0, 2.0).
        hidden (int): Width of the head's hidden layer. Defaults to 16.
        weight_scale (float): Scale ``s`` of the head output (and of
            ``alpha``'s updates), so that Adam reaches weights near 1 in a
            few hundred iterations. Defaults to 10.0.
        prior_index (int | Sequence[int], optional): The candidate(s) the
            noise-gated prior puts in; ``None``: no prior. Defaults to None.
        prior_shares (Sequence[float], optional): Each ``prior_index``
            candidate's share of the prior, positive, summing to 1;
            ``None``: equal shares. Defaults to None.
        noise_range (tuple[float, float]): ``(lo, hi)`` noise estimates
            between which the prior's weight rises from 0 to 1.
            Defaults to (0.004, 0.012).
        guided (dict, optional): Adds an edge-preserving candidate after
            the blurs (index ``len(sigmas)``): the image's self-guided
            filter (He et al., "Guided Image Filtering", TPAMI 2013) with
            ``radius`` (int, box of ``2 radius + 1`` pixels), run
            ``iterations`` times, its regulariser
            ``eps = eps_scale · noise²`` set by the frame's noise estimate
            (flat regions whose variance is below the noise's are averaged,
            edges above it kept); ``eps_scale`` is learnt (in log space)
            from its start value. Keys: ``radius`` (default 2),
            ``eps_scale`` (4.0), ``iterations`` (2). ``None``: blurs only.
            Defaults to None.
        denoiser (dict, optional): Adds a **frozen** learnt denoiser as the
            last candidate: an enhancer config, e.g.
            ``dict(type='PretrainedEnhancer', checkpoint='denoiser.pth',
            enhancer=dict(type='ResidualDenoiser'))`` for one trained by
            :class:`mmllie.DenoiserPretrainer` and exported. It runs without
            gradient and is never updated: the recognizer's loss only
            decides how much of it to blend in. ``None``: no denoiser.
            Defaults to None.

    Shape:
        - Input: (B, 3, H, W), RGB in [0, 1], H and W at least 3.
        - Output: (B, 3, H, W).

    Example:
        >>> smooth = NoiseAdaptiveSmoothing()
        >>> x = torch.rand(2, 3, 37, 53)
        >>> torch.equal(smooth(x), x)
        True
    """

    def __init__(self,
                 sigmas: Sequence[float] = (0.5, 1.0, 2.0),
                 hidden: int = 16,
                 weight_scale: float = 10.0,
                 prior_index: Optional[Union[int, Sequence[int]]] = None,
                 prior_shares: Optional[Sequence[float]] = None,
                 noise_range: Tuple[float, float] = (0.004, 0.012),
                 guided: Optional[dict] = None,
                 denoiser: Optional[dict] = None) -> None:
        super().__init__()
        sigmas = tuple(float(s) for s in sigmas)
        if not sigmas or min(sigmas) <= 0:
            raise ValueError('NoiseAdaptiveSmoothing: sigmas must be '
                             f'positive, got {sigmas}')
        if hidden < 1 or weight_scale <= 0:
            raise ValueError('NoiseAdaptiveSmoothing: hidden must be >= 1 '
                             f'and weight_scale > 0, got {hidden}, '
                             f'{weight_scale}')
        guided = _guided_options(guided)
        num = len(sigmas) + (guided is not None) + (denoiser is not None)
        names = (f'sigmas {sigmas}{", guided" if guided else ""}'
                 f'{", denoiser" if denoiser else ""}')
        prior = _prior_vector(prior_index, prior_shares, num, names)
        lo, hi = noise_range
        if not 0 < lo < hi:
            raise ValueError('NoiseAdaptiveSmoothing: noise_range must be '
                             f'(lo, hi) with 0 < lo < hi, got {noise_range}')
        self.sigmas = sigmas
        for i, sigma in enumerate(sigmas):
            self.register_buffer(
                f'kernel{i}', gaussian_kernel(sigma), persistent=False)
        self.head = nn.Sequential(
            nn.Linear(2, hidden), nn.ReLU(inplace=True),
            nn.Linear(hidden, num))
        nn.init.zeros_(self.head[2].weight)
        nn.init.zeros_(self.head[2].bias)
        self.weight_scale = weight_scale
        self.prior_index = prior_index
        self.noise_range = (float(lo), float(hi))
        self.num_candidates = num
        self.guided = guided
        if guided is not None:
            r = guided['radius']
            self.register_buffer(
                'box_kernel',
                torch.full((2 * r + 1, ), 1. / (2 * r + 1)),
                persistent=False)
            self.guided_log_eps = nn.Parameter(
                torch.tensor(math.log(guided['eps_scale'])))
        self.denoiser = None
        if denoiser is not None:
            self.denoiser = build_enhancer(denoiser).requires_grad_(False)
        if prior is not None:
            self.register_buffer('prior', prior, persistent=False)
            # alpha = 1 + s * prior_weight: updates as fast as the head's
            self.prior_weight = nn.Parameter(torch.zeros(()))

    def blur(self, x: torch.Tensor, index: int) -> torch.Tensor:
        """Separable Gaussian blur ``index`` with reflected borders."""
        return separable_filter(x, getattr(self, f'kernel{index}'))

    def guided_filter(self, x: torch.Tensor,
                      noise: torch.Tensor) -> torch.Tensor:
        """The self-guided filter of ``x`` (per channel) at ``noise``."""
        eps = (self.guided_log_eps.exp() * noise**2)[:, None, None, None]
        k = self.box_kernel
        out = x
        for _ in range(self.guided['iterations']):
            mean = separable_filter(out, k)
            var = (separable_filter(out * out, k) - mean * mean).clamp(min=0.)
            a = var / (var + eps)
            out = separable_filter(a, k) * out + separable_filter(
                mean - a * mean, k)
        return out

    def candidate(self, x: torch.Tensor, index: int,
                  noise: torch.Tensor) -> torch.Tensor:
        """Candidate ``index``: a blur, then the guided filter and the
        frozen denoiser (those given)."""
        if index < len(self.sigmas):
            return self.blur(x, index)
        if self.guided is not None and index == len(self.sigmas):
            return self.guided_filter(x, noise)
        with torch.no_grad():
            return self.denoiser(x)

    def train(self, mode: bool = True) -> 'NoiseAdaptiveSmoothing':
        """Set the mode; a frozen denoiser always stays in eval mode."""
        super().train(mode)
        if self.denoiser is not None:
            self.denoiser.eval()
        return self

    def noise(self, x: torch.Tensor) -> torch.Tensor:
        """(B, ) noise estimates of ``x``, floored at 1e-4 (no gradient)."""
        with torch.no_grad():
            return estimate_noise(x).clamp(min=1e-4)

    def weights(self,
                x: torch.Tensor,
                noise: Optional[torch.Tensor] = None) -> torch.Tensor:
        """(B, K) blend weights of ``x``'s candidates."""
        if noise is None:
            noise = self.noise(x)
        with torch.no_grad():
            features = torch.stack(
                [noise.log(),
                 x.mean(dim=(1, 2, 3)).clamp(min=1e-4).log()],
                dim=1)

        r = torch.tanh(self.weight_scale * self.head(features))
        if self.prior_index is not None:
            lo, hi = self.noise_range
            gate = ((noise / lo).log() / math.log(hi / lo)).clamp(0., 1.)
            alpha = 1. + self.weight_scale * self.prior_weight
            r = r + alpha * gate[:, None] * self.prior.to(r.dtype)
        total = r.abs().sum(dim=1, keepdim=True)
        # at total == 1 (the prior alone, fully gated) the weights stay
        # differentiable in alpha: only a sum above 1 is scaled down
        return r / torch.where(total > 1., total, torch.ones_like(total))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Smooth ``x`` (B, 3, H, W) by its predicted weights."""
        noise = self.noise(x)
        w = self.weights(x, noise)
        out = x
        for i in range(self.num_candidates):
            out = out + w[:, i, None, None, None] * (
                self.candidate(x, i, noise) - x)
        return out


def _prior_vector(index: Optional[Union[int, Sequence[int]]],
                  shares: Optional[Sequence[float]], num: int,
                  names: str) -> Optional[torch.Tensor]:
    """The prior's (num, ) shares of the candidates, checked; ``None``
    without a prior."""
    if index is None:
        if shares is not None:
            raise ValueError('NoiseAdaptiveSmoothing: prior_shares needs a '
                             f'prior_index, got prior_shares={shares}')
        return None
    indices = [index] if isinstance(index, int) else list(index)
    if (not indices or len(set(indices)) != len(indices)
            or not all(isinstance(i, int) and 0 <= i < num for i in indices)):
        raise ValueError('NoiseAdaptiveSmoothing: prior_index must be one '
                         f'or more distinct indices of the {num} candidates '
                         f'({names}), got {index}')
    if shares is None:
        shares = [1. / len(indices)] * len(indices)
    shares = [float(v) for v in shares]
    if (len(shares) != len(indices) or min(shares) <= 0
            or abs(sum(shares) - 1.) > 1e-6):
        raise ValueError('NoiseAdaptiveSmoothing: prior_shares must give '
                         f'each of prior_index {index} a positive share, '
                         f'summing to 1, got {shares}')
    prior = torch.zeros(num)
    prior[indices] = torch.tensor(shares)
    return prior


def _guided_options(guided: Optional[dict]) -> Optional[dict]:
    """``guided`` with its defaults, checked."""
    if guided is None:
        return None
    if not isinstance(guided, dict):
        raise ValueError('NoiseAdaptiveSmoothing: guided must be a dict of '
                         f'radius, eps_scale, iterations, got {guided!r}')
    unknown = set(guided) - {'radius', 'eps_scale', 'iterations'}
    if unknown:
        raise ValueError('NoiseAdaptiveSmoothing: unknown guided keys '
                         f'{sorted(unknown)}; expected radius, eps_scale, '
                         'iterations')
    out = {**dict(radius=2, eps_scale=4.0, iterations=2), **guided}
    if (not isinstance(out['radius'], int) or out['radius'] < 1
            or out['eps_scale'] <= 0 or not isinstance(out['iterations'], int)
            or out['iterations'] < 1):
        raise ValueError('NoiseAdaptiveSmoothing: guided needs an integer '
                         'radius >= 1, eps_scale > 0 and an integer '
                         f'iterations >= 1, got {guided}')
    return out
