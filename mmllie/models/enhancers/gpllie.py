"""GEM + PAM enhancer (paper section 3, Fig. 1, eqs. 1-2)."""
from typing import Optional

import torch
import torch.nn as nn

from mmllie.registry import MODELS


@MODELS.register_module()
class GPLLIE(nn.Module):
    """Global and Pixelwise Low-Light Image Enhancer.

    ``I_ge = a ⊙ I_in`` with per-channel gains ``a = GEM(bilinear32(I_in))``
    (eq. 1), then ``I_out = I_ge + PAM(I_ge)`` (eq. 2). With the default
    widths it has 577,963 parameters (paper: 577k): GEM 130,372 with
    widths (32, 64, 64, 64, 64), PAM 447,591 with (12, 24, 48, 96); see
    :class:`GlobalEnhancementModule` and :class:`PixelwiseAdjustmentModule`.

    Ablations are arguments: ``use_gem=False`` (PAM only, ``I_ge = I_in``)
    and ``use_pam=False`` (GEM only, ``I_out = I_ge``). With both off it is
    the identity (the "no enhancer" row, through the same code path).

    ``smoothing=dict(...)`` puts a :class:`NoiseAdaptiveSmoothing` (its
    keyword arguments) before GEM: ``I_in`` is first blended with blurred
    copies of itself by weights predicted from its noise level (identity at
    the start). Not in the paper; measured on real frames in
    ``projects/espnetv2_cityscapes/README.md``.

    Args:
        use_gem (bool): Use the Global Enhancement Module. Defaults to True.
        use_pam (bool): Use the Pixelwise Adjustment Module.
            Defaults to True.
        gem (dict, optional): Keyword arguments of
            :class:`GlobalEnhancementModule`.
        pam (dict, optional): Keyword arguments of
            :class:`PixelwiseAdjustmentModule`.
        smoothing (dict, optional): Keyword arguments of
            :class:`NoiseAdaptiveSmoothing`; ``None`` (default): none.

    Shape:
        - Input: (B, 3, H, W), RGB in [0, 1].
        - Output: (B, 3, H, W), unclamped (the recognizer normalises it).

    Example:
        >>> model = GPLLIE()
        >>> model(torch.rand(2, 3, 37, 53) * 0.05).shape
        torch.Size([2, 3, 37, 53])
    """

    def __init__(self,
                 use_gem: bool = True,
                 use_pam: bool = True,
                 gem: Optional[dict] = None,
                 pam: Optional[dict] = None,
                 smoothing: Optional[dict] = None) -> None:
        super().__init__()
        from .gem import GlobalEnhancementModule
        from .pam import PixelwiseAdjustmentModule
        from .smoothing import NoiseAdaptiveSmoothing
        self.smoothing = None if smoothing is None else \
            NoiseAdaptiveSmoothing(**smoothing)
        self.gem = GlobalEnhancementModule(**(gem or {})) if use_gem else None
        self.pam = PixelwiseAdjustmentModule(
            **(pam or {})) if use_pam else None

    def global_enhance(self, x: torch.Tensor) -> torch.Tensor:
        """Return ``I_ge`` (eq. 1); the input itself without GEM."""
        if self.gem is None:
            return x
        return x * self.gem(x)[:, :, None, None]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Enhance ``x`` (B, 3, H, W) in [0, 1]."""
        if self.smoothing is not None:
            x = self.smoothing(x)
        x_ge = self.global_enhance(x)
        if self.pam is None:
            return x_ge
        return x_ge + self.pam(x_ge)
