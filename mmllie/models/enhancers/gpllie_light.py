"""A lighter GEM + PAM for CPUs: PAM at a reduced resolution.

PAM's cost is its full-resolution layers (12 and 24 channels at H×W and
H/2×W/2). Running the UNet on an image average-pooled by ``pam_scale`` and
upsampling its adjustment map bilinearly divides that cost by about
``pam_scale²``; GEM is unchanged (it already runs on a 32×32 thumbnail)
and the map still adds to the full-resolution GEM image.

A bilinearly resized map cannot follow the full-resolution image's edges
or flat regions. ``upsampling='guided'`` resizes it by the fast guided
filter of Wu et al. ("Fast End-to-End Trainable Guided Filter", CVPR
2018) instead: per channel, the local linear model ``f = A x + b`` of the
map ``f`` in the pooled image ``x`` is fitted in small windows at the low
resolution, ``A`` and ``b`` are resized bilinearly and applied to the
full-resolution image, so the map follows its edges (and can average its
flat regions: ``A < 0`` pulls a pixel towards its window's mean) at the
cost of a few pooled box filters and one full-resolution multiply-add. A
zero map stays zero (``A = b = 0``): training still starts from GEM's
image.
"""
from typing import Optional, Sequence, Tuple

import torch
import torch.nn.functional as F

from mmllie.registry import MODELS
from .filters import box_mean, resize_bilinear
from .gpllie import GPLLIE
from .pam import PixelwiseAdjustmentModule

#: How :class:`ReducedResolutionPAM` brings its map back to full size.
MAP_UPSAMPLING = ('bilinear', 'guided')


@MODELS.register_module()
class ReducedResolutionPAM(PixelwiseAdjustmentModule):
    """PAM on an image average-pooled by ``scale``; map upsampled back.

    Same layers and state-dict keys as :class:`PixelwiseAdjustmentModule`
    (weights of one load into the other). The input is average-pooled with
    ``scale × scale`` windows (the last, partial window averages what it
    covers), the UNet runs on that, and its map is bilinearly resized to
    the input's H×W (``upsampling='bilinear'``), or by the fast guided
    filter of the pooled image (``'guided'``, see the module docstring).
    ``scale=1`` is PAM itself.

    Args:
        scale (int): Downsampling factor. Defaults to 4.
        channels (Sequence[int]): Encoder widths. Defaults to
            (12, 24, 48, 96).
        max_adjust (float, optional): Bound of the map (see
            :class:`PixelwiseAdjustmentModule`). Defaults to None.
        upsampling (str): ``'bilinear'`` or ``'guided'``.
            Defaults to ``'bilinear'``.
        guided (dict, optional): ``radius`` (int, of the low-resolution
            box, default 1) and ``eps`` (the filter's regulariser on
            [0, 1] images, default 1e-4) of ``upsampling='guided'``.

    Example:
        >>> pam = ReducedResolutionPAM(scale=4)
        >>> pam(torch.rand(1, 3, 70, 90)).shape
        torch.Size([1, 3, 70, 90])
    """

    def __init__(self,
                 scale: int = 4,
                 channels: Sequence[int] = (12, 24, 48, 96),
                 max_adjust: Optional[float] = None,
                 upsampling: str = 'bilinear',
                 guided: Optional[dict] = None) -> None:
        if not isinstance(scale, int) or isinstance(scale, bool) or \
                scale < 1:
            raise ValueError('ReducedResolutionPAM: scale must be an int '
                             f'>= 1, got {scale!r}')
        if upsampling not in MAP_UPSAMPLING:
            raise ValueError('ReducedResolutionPAM: upsampling must be one '
                             f'of {MAP_UPSAMPLING}, got {upsampling!r}')
        super().__init__(channels=channels, max_adjust=max_adjust)
        self.scale = scale
        self.upsampling = upsampling
        self.radius, self.eps = _guided_options(guided)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return the adjustment map ``f`` of the same size as ``x``."""
        if self.scale == 1:
            return super().forward(x)
        h, w = x.shape[-2:]
        small = F.avg_pool2d(x, self.scale, ceil_mode=True)
        f = super().forward(small)
        if self.upsampling == 'bilinear':
            return resize_bilinear(f, (h, w))
        # fit f = A x + b per window at low resolution, apply at full
        r = self.radius
        mean_x, mean_f = box_mean(small, r), box_mean(f, r)
        cov = box_mean(small * f, r) - mean_x * mean_f
        var = box_mean(small * small, r) - mean_x * mean_x
        a = cov / (var.clamp(min=0.) + self.eps)
        b = mean_f - a * mean_x
        return resize_bilinear(a, (h, w)) * x + resize_bilinear(b, (h, w))


def _guided_options(guided: Optional[dict]) -> Tuple[int, float]:
    """``(radius, eps)`` of ``guided`` with its defaults, checked."""
    guided = dict(guided or {})
    unknown = set(guided) - {'radius', 'eps'}
    if unknown:
        raise ValueError('ReducedResolutionPAM: unknown guided keys '
                         f'{sorted(unknown)}; expected radius, eps')
    radius, eps = guided.get('radius', 1), guided.get('eps', 1e-4)
    if not isinstance(radius, int) or isinstance(radius, bool) or \
            radius < 1 or not eps > 0:
        raise ValueError('ReducedResolutionPAM: guided needs an integer '
                         f'radius >= 1 and eps > 0, got {guided}')
    return radius, float(eps)


@MODELS.register_module()
class LightGPLLIE(GPLLIE):
    """GEM + PAM with PAM at ``1 / pam_scale`` resolution (for CPUs).

    ``I_out = I_ge + up(PAM(pool(I_ge)))`` with ``I_ge`` from GEM as in
    :class:`GPLLIE`; the same parameters and state-dict keys as GPLLIE, so
    a trained GPLLIE checkpoint loads (and can be fine-tuned). At 640×640
    on CPU, ``pam_scale=4`` costs about a tenth of GPLLIE's deploy time
    (``docs/en/benchmarks/speed.md``). ``pam=dict(upsampling='guided')``
    brings the map back by the fast guided filter instead of bilinearly
    (see :class:`ReducedResolutionPAM`).

    Args:
        pam_scale (int): Resolution divisor of PAM. Defaults to 4.
        use_gem (bool): Use GEM. Defaults to True.
        gem (dict, optional): Keyword arguments of
            :class:`GlobalEnhancementModule`.
        pam (dict, optional): Keyword arguments of
            :class:`ReducedResolutionPAM` (other than ``scale``).

    Example:
        >>> model = LightGPLLIE()
        >>> model(torch.rand(2, 3, 37, 53) * 0.05).shape
        torch.Size([2, 3, 37, 53])
    """

    def __init__(self,
                 pam_scale: int = 4,
                 use_gem: bool = True,
                 gem: Optional[dict] = None,
                 pam: Optional[dict] = None) -> None:
        super().__init__(use_gem=use_gem, use_pam=False, gem=gem)
        self.pam = ReducedResolutionPAM(scale=pam_scale, **(pam or {}))
