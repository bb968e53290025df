"""The Zero-DCE training objective: the four zero-reference losses.

Guo et al., "Zero-Reference Deep Curve Estimation for Low-Light Image
Enhancement", CVPR 2020, eq. 8, with the official weights
(Li-Chongyi/Zero-DCE ``lowlight_train.py``).
"""
from typing import Dict

import torch
import torch.nn as nn

from mmllie.registry import MODELS
from .zero_reference import (ColorConstancyLoss, ExposureControlLoss,
                             IlluminationSmoothnessLoss,
                             SpatialConsistencyLoss)


@MODELS.register_module()
class ZeroReferenceLoss(nn.Module):
    """``L = w_spa L_spa + w_exp L_exp + w_col L_col + w_tv L_tvA``.

    Returns the four weighted terms as a dict (``loss_spa``, ``loss_exp``,
    ``loss_col``, ``loss_tv``), which MMEngine sums and logs one by one;
    ``sum(d.values())`` is the total loss. No labels are needed.

    The official recipe (for configs): Adam, lr 1e-4, weight decay 1e-4,
    gradient-norm clip 0.1, batch 8, 256×256 training images, 200 epochs.

    Args:
        spa_weight (float): Spatial consistency weight. Defaults to 1.0.
        exp_weight (float): Exposure control weight. Defaults to 10.0.
        col_weight (float): Colour constancy weight. Defaults to 5.0.
        tv_weight (float): Illumination smoothness weight.
            Defaults to 200.0.
        exposure_level (float): Exposure target E. Defaults to 0.6.
        patch_size (int): Exposure patch side. Defaults to 16.

    Example:
        >>> from mmllie.models.enhancers import ZeroDCE
        >>> img = torch.rand(2, 3, 32, 32) * 0.2
        >>> out, curves = ZeroDCE()(img, return_curves=True)
        >>> losses = ZeroReferenceLoss()(out, img, curves)
        >>> sorted(losses)
        ['loss_col', 'loss_exp', 'loss_spa', 'loss_tv']
    """

    def __init__(self,
                 spa_weight: float = 1.0,
                 exp_weight: float = 10.0,
                 col_weight: float = 5.0,
                 tv_weight: float = 200.0,
                 exposure_level: float = 0.6,
                 patch_size: int = 16) -> None:
        super().__init__()
        self.spatial = SpatialConsistencyLoss(loss_weight=spa_weight)
        self.exposure = ExposureControlLoss(
            exposure_level=exposure_level,
            patch_size=patch_size,
            loss_weight=exp_weight)
        self.color = ColorConstancyLoss(loss_weight=col_weight)
        self.smoothness = IlluminationSmoothnessLoss(loss_weight=tv_weight)

    def forward(self, enhanced: torch.Tensor, img: torch.Tensor,
                curves: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Compute the weighted terms.

        Args:
            enhanced (Tensor): Enhanced image (B, 3, H, W).
            img (Tensor): Input low-light image (B, 3, H, W).
            curves (Tensor): Curve maps (B, 3 * n, H, W).

        Returns:
            dict[str, Tensor]: The four weighted scalar losses.
        """
        return {
            self.spatial.loss_name: self.spatial(enhanced, img),
            self.exposure.loss_name: self.exposure(enhanced),
            self.color.loss_name: self.color(enhanced),
            self.smoothness.loss_name: self.smoothness(curves),
        }
