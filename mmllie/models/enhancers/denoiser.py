"""A small learnt denoiser for dark, noisy frames."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmllie.registry import MODELS
from .filters import (gaussian_kernel, mean_brightness, resize_bilinear,
                      separable_filter)


def _block(in_channels: int, out_channels: int) -> nn.Sequential:
    """Two 3×3 convolutions with ReLU."""
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, 3, padding=1),
        nn.ReLU(inplace=True),
        nn.Conv2d(out_channels, out_channels, 3, padding=1),
        nn.ReLU(inplace=True))


@MODELS.register_module()
class ResidualDenoiser(nn.Module):
    """A three-scale UNet whose output corrects a Gaussian blur.

    ``out = clip(G_sigma * x + s · f([x, G_sigma * x] / s), 0, 1)`` with
    ``s`` the image's mean brightness (floored at ``min_brightness``), so
    that a frame's noise is seen relative to its exposure. The last
    convolution starts at zero: the untrained module is the blur. Meant to
    be trained by pixel error to the darkening model's noiseless reference
    (:class:`mmllie.DenoiserPretrainer`), not through a recognizer, and
    used frozen as a candidate of :class:`mmllie.NoiseAdaptiveSmoothing`
    (its ``denoiser`` argument).

    Args:
        width (int): Channels at full resolution; 2× and 4× at 1/2 and 1/4.
            Defaults to 16 (119k parameters).
        base_sigma (float): Standard deviation (pixels) of the blur the
            network corrects. Defaults to 1.0.
        min_brightness (float): Floor of ``s``. Defaults to 0.02.

    Shape:
        - Input: (B, 3, H, W), RGB in [0, 1], H and W at least 3.
        - Output: (B, 3, H, W).

    Example:
        >>> den = ResidualDenoiser(width=4)
        >>> den(torch.rand(1, 3, 16, 20)).shape
        torch.Size([1, 3, 16, 20])
    """

    def __init__(self,
                 width: int = 16,
                 base_sigma: float = 1.0,
                 min_brightness: float = 0.02) -> None:
        super().__init__()
        if width < 1 or base_sigma <= 0 or min_brightness <= 0:
            raise ValueError('ResidualDenoiser: width must be >= 1 and '
                             'base_sigma, min_brightness > 0, got '
                             f'{width}, {base_sigma}, {min_brightness}')
        self.min_brightness = float(min_brightness)
        self.register_buffer(
            'kernel', gaussian_kernel(base_sigma), persistent=False)
        w = width
        self.enc1 = _block(6, w)
        self.enc2 = _block(w, 2 * w)
        self.enc3 = _block(2 * w, 4 * w)
        self.dec2 = _block(6 * w, 2 * w)
        self.dec1 = _block(3 * w, w)
        self.out = nn.Conv2d(w, 3, 3, padding=1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Denoise ``x`` (B, 3, H, W)."""
        base = separable_filter(x, self.kernel)
        s = mean_brightness(x, self.min_brightness)
        h1 = self.enc1(torch.cat([x, base], 1) / s)
        h2 = self.enc2(F.avg_pool2d(h1, 2, ceil_mode=True))
        h3 = self.enc3(F.avg_pool2d(h2, 2, ceil_mode=True))
        u2 = self.dec2(torch.cat([h2, resize_bilinear(h3, h2.shape[-2:])], 1))
        u1 = self.dec1(torch.cat([h1, resize_bilinear(u2, h1.shape[-2:])], 1))
        return (base + s * self.out(u1)).clamp(0., 1.)
