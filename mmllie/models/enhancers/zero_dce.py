"""Zero-DCE baseline: DCE-Net and light-enhancement curves.

Guo et al., "Zero-Reference Deep Curve Estimation for Low-Light Image
Enhancement", CVPR 2020 (https://arxiv.org/abs/2001.06826). Architecture
and initialisation follow the official code (Li-Chongyi/Zero-DCE,
``Zero-DCE_code/model.py`` ``enhance_net_nopool`` and
``lowlight_train.py`` ``weights_init``).
"""
from typing import Tuple, Union

import torch
import torch.nn as nn

from mmllie.registry import MODELS


@MODELS.register_module()
class ZeroDCE(nn.Module):
    """DCE-Net: seven 3×3 convs predicting eight pixel-wise curve maps.

    ``conv1`` (3→32) … ``conv4`` (32→32) run at full resolution with ReLU;
    ``conv5``/``conv6``/``conv7`` take the symmetric skip concatenations
    ``[x3, x4]``, ``[x2, x5]`` and ``[x1, x6]`` (64 channels); ``conv7``
    outputs 24 channels through tanh, i.e. ``num_iters`` = 8 RGB curve maps
    ``A_n`` ∈ [-1, 1]. The image is refined by the quadratic curve
    ``LE(x) = x + A_n (x² − x)`` applied ``num_iters`` times (paper
    eq. 1-3), which maps [0, 1] into [0, 1]. 79,416 parameters. Conv
    weights start from N(0, 0.02²) as in the official training script
    (biases keep PyTorch's default), so the curves start near zero and the
    output near the input.

    Trained either the authors' way, by the four zero-reference losses
    (:class:`mmllie.ZeroReferenceLoss`, see :class:`ZeroDCEUnsupervised`),
    or by a frozen recognizer's task loss inside
    ``mmllie.GlobalPixelwiseEnhancer``.

    Args:
        channels (int): Width of the hidden convs. Defaults to 32.
        num_iters (int): Number of curve iterations. Defaults to 8.
        init_std (float): Std of the normal init of conv weights.
            Defaults to 0.02.

    Shape:
        - Input: (B, 3, H, W), RGB in [0, 1], any H and W.
        - Output: (B, 3, H, W); with ``return_curves=True`` also the
          curve maps (B, 3 * num_iters, H, W).

    Example:
        >>> model = ZeroDCE()
        >>> model(torch.rand(1, 3, 37, 53)).shape
        torch.Size([1, 3, 37, 53])
    """

    def __init__(self,
                 channels: int = 32,
                 num_iters: int = 8,
                 init_std: float = 0.02) -> None:
        super().__init__()
        if channels < 1 or num_iters < 1:
            raise ValueError('ZeroDCE: channels and num_iters must be >= 1, '
                             f'got channels={channels}, '
                             f'num_iters={num_iters}')
        c = channels
        self.num_iters = num_iters
        self.conv1 = nn.Conv2d(3, c, 3, 1, 1)
        self.conv2 = nn.Conv2d(c, c, 3, 1, 1)
        self.conv3 = nn.Conv2d(c, c, 3, 1, 1)
        self.conv4 = nn.Conv2d(c, c, 3, 1, 1)
        self.conv5 = nn.Conv2d(2 * c, c, 3, 1, 1)
        self.conv6 = nn.Conv2d(2 * c, c, 3, 1, 1)
        self.conv7 = nn.Conv2d(2 * c, 3 * num_iters, 3, 1, 1)
        self.relu = nn.ReLU(inplace=True)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.normal_(m.weight, 0.0, init_std)

    def curves(self, x: torch.Tensor) -> torch.Tensor:
        """Predict the curve maps ``A`` (B, 3 * num_iters, H, W) in
        [-1, 1]."""
        if x.dim() != 4 or x.size(1) != 3:
            raise ValueError('ZeroDCE expects a (B, 3, H, W) RGB tensor, '
                             f'got shape {tuple(x.shape)}')
        x1 = self.relu(self.conv1(x))
        x2 = self.relu(self.conv2(x1))
        x3 = self.relu(self.conv3(x2))
        x4 = self.relu(self.conv4(x3))
        x5 = self.relu(self.conv5(torch.cat([x3, x4], 1)))
        x6 = self.relu(self.conv6(torch.cat([x2, x5], 1)))
        return torch.tanh(self.conv7(torch.cat([x1, x6], 1)))

    @staticmethod
    def apply_curves(x: torch.Tensor, curves: torch.Tensor) -> torch.Tensor:
        """Iterate ``LE(x) = x + A_n (x² − x)`` over the 3-channel maps."""
        for a in torch.split(curves, 3, dim=1):
            x = x + a * (x * x - x)
        return x

    def forward(
        self,
        x: torch.Tensor,
        return_curves: bool = False
    ) -> Union[torch.Tensor, Tuple[torch.Tensor, torch.Tensor]]:
        """Enhance ``x``.

        Args:
            x (Tensor): (B, 3, H, W) RGB image in [0, 1].
            return_curves (bool): Also return the curve maps, which the
                illumination-smoothness loss needs. Defaults to False.

        Returns:
            Tensor | tuple[Tensor, Tensor]: The enhanced image, and the
            curve maps if ``return_curves``.
        """
        curves = self.curves(x)
        out = self.apply_curves(x, curves)
        return (out, curves) if return_curves else out
