"""A fixed brightening baseline: one gain and one gamma for every image."""
import torch
import torch.nn as nn

from mmllie.registry import MODELS


@MODELS.register_module()
class FixedGainGamma(nn.Module):
    """``y = clip(gain · x, 0, 1) ** (1 / gamma)``, no parameters.

    The "just brighten it" baseline a learnt enhancer has to beat
    (``tools/analysis_tools/compare_enhancers.py``).

    Args:
        gain (float): Exposure gain, > 0. Defaults to 4.
        gamma (float): Display gamma, > 0 (2.2 lifts the shadows, 1 is
            off). Defaults to 2.2.

    Shape:
        - Input: (B, 3, H, W), RGB in [0, 1].
        - Output: (B, 3, H, W), in [0, 1].

    Example:
        >>> FixedGainGamma(gain=4, gamma=1)(torch.full((1, 3, 2, 2), 0.1))[
        ...     0, 0, 0, 0].item()
        0.4000000059604645
    """

    def __init__(self, gain: float = 4.0, gamma: float = 2.2) -> None:
        super().__init__()
        if gain <= 0 or gamma <= 0:
            raise ValueError('FixedGainGamma: gain and gamma must be > 0, '
                             f'got gain={gain}, gamma={gamma}')
        self.gain = gain
        self.gamma = gamma

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = (x * self.gain).clamp(0, 1)
        # clamp away from 0: the gradient of y ** (1 / gamma) is inf at 0
        return y.clamp(min=1e-6)**(1.0 / self.gamma) if self.gamma != 1 \
            else y
