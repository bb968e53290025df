"""A lighter GEM + PAM for CPUs: PAM at a reduced resolution.

PAM's cost is its full-resolution layers (12 and 24 channels at H×W and
H/2×W/2). Running the UNet on an image average-pooled by ``pam_scale`` and
upsampling its adjustment map bilinearly divides that cost by about
``pam_scale²``; GEM is unchanged (it already runs on a 32×32 thumbnail)
and the map still adds to the full-resolution GEM image.
"""
from typing import Optional, Sequence

import torch
import torch.nn.functional as F

from mmllie.registry import MODELS
from .gpllie import GPLLIE
from .pam import PixelwiseAdjustmentModule


@MODELS.register_module()
class ReducedResolutionPAM(PixelwiseAdjustmentModule):
    """PAM on an image average-pooled by ``scale``; map upsampled back.

    Same layers and state-dict keys as :class:`PixelwiseAdjustmentModule`
    (weights of one load into the other). The input is average-pooled with
    ``scale × scale`` windows (the last, partial window averages what it
    covers), the UNet runs on that, and its map is bilinearly resized to
    the input's H×W. ``scale=1`` is PAM itself.

    Args:
        scale (int): Downsampling factor. Defaults to 4.
        channels (Sequence[int]): Encoder widths. Defaults to
            (12, 24, 48, 96).
        max_adjust (float, optional): Bound of the map (see
            :class:`PixelwiseAdjustmentModule`). Defaults to None.

    Example:
        >>> pam = ReducedResolutionPAM(scale=4)
        >>> pam(torch.rand(1, 3, 70, 90)).shape
        torch.Size([1, 3, 70, 90])
    """

    def __init__(self,
                 scale: int = 4,
                 channels: Sequence[int] = (12, 24, 48, 96),
                 max_adjust: Optional[float] = None) -> None:
        if not isinstance(scale, int) or isinstance(scale, bool) or \
                scale < 1:
            raise ValueError('ReducedResolutionPAM: scale must be an int '
                             f'>= 1, got {scale!r}')
        super().__init__(channels=channels, max_adjust=max_adjust)
        self.scale = scale

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return the adjustment map ``f`` of the same size as ``x``."""
        if self.scale == 1:
            return super().forward(x)
        h, w = x.shape[-2:]
        small = F.avg_pool2d(x, self.scale, ceil_mode=True)
        f = super().forward(small)
        return F.interpolate(
            f, size=(h, w), mode='bilinear', align_corners=False)


@MODELS.register_module()
class LightGPLLIE(GPLLIE):
    """GEM + PAM with PAM at ``1 / pam_scale`` resolution (for CPUs).

    ``I_out = I_ge + up(PAM(pool(I_ge)))`` with ``I_ge`` from GEM as in
    :class:`GPLLIE`; the same parameters and state-dict keys as GPLLIE, so
    a trained GPLLIE checkpoint loads (and can be fine-tuned). At 640×640
    on CPU, ``pam_scale=4`` costs about a tenth of GPLLIE's deploy time
    (``docs/en/benchmarks/speed.md``).

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
