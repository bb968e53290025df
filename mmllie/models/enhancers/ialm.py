"""IALM baseline: Exposure → Gamma → Smoothing with predicted parameters.

Ono et al., "Improving Low-Light Image Recognition Performance Based on
Image-Adaptive Learnable Module", VISAPP 2024, as summarised in section 2
of the GP-LLIE paper (VISAPP 2025). The original code is not public; the
choices made here are listed in :class:`IALM`.
"""
import math
from typing import Dict, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmllie.registry import MODELS


class ParameterPredictor(nn.Module):
    """CNN-PP of IA-YOLO (Liu et al., AAAI 2022) on a bilinear thumbnail.

    Five 3×3 stride-2 convs with LeakyReLU(0.1), flatten, a hidden fully
    connected layer with LeakyReLU(0.1) and a linear output layer.
    """

    def __init__(self, num_outputs: int, in_size: int, channels: Sequence[int],
                 hidden: int) -> None:
        super().__init__()
        layers, in_ch, size = [], 3, in_size
        for out_ch in channels:
            layers += [nn.Conv2d(in_ch, out_ch, 3, 2, 1), nn.LeakyReLU(0.1)]
            in_ch, size = out_ch, (size + 1) // 2
        self.features = nn.Sequential(*layers, nn.Flatten())
        self.fc = nn.Sequential(
            nn.Linear(in_ch * size * size, hidden), nn.LeakyReLU(0.1))
        self.head = nn.Linear(hidden, num_outputs)
        self.in_size = in_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, 3, H, W) → (B, num_outputs) raw parameters."""
        thumb = F.interpolate(
            x, size=(self.in_size, ) * 2, mode='bilinear', align_corners=False)
        return self.head(self.fc(self.features(thumb)))


@MODELS.register_module()
class IALM(nn.Module):
    """Image-Adaptive Learnable Module, trained by the task loss only.

    Choices made where the papers are silent:

    1. **One predictor per module** ("each of these modules includes a
       parameter predictor"), each fed the bilinear thumbnail of *its own*
       input (the previous module's output), so later modules adapt to
       what the earlier ones did.
    2. **Predictor = IA-YOLO's CNN-PP**: 256×256 thumbnail, convs of
       (16, 32, 32, 32, 32) channels, FC 2048→64→1. Three of them total
       492,099 parameters, matching the seed paper's Table 2 (IALM + Lee
       et al. 27.9M − Lee et al. 27.4M ≈ 0.5M).
    3. **Global scalars**, one per image and module (IALM "only supports
       global image adjustment"; no per-channel colour correction).
    4. **Exposure**: ``y = clip(x · 2^E, 0, 1)`` (the exposure filter of
       Hu et al., "Exposure", TOG 2018), ``E = exposure_range · tanh(z)``
       stops, range ±5 (gain 1/32…32, enough for ExLPose LL-E's mean
       0.9/255 together with the gamma). The clip models saturation and
       keeps the gamma's domain in [0, 1].
    5. **Gamma**: ``y = max(x, 1e-4)^γ``, ``γ = gamma_range^tanh(z)`` in
       [1/3, 3] (IA-YOLO's gamma filter: log-symmetric range, same floor,
       which keeps the gradient finite at black pixels).
    6. **Smoothing**: ``y = x + s · (G_σ * x − x)``, ``s = sigmoid(z)`` in
       (0, 1), ``G_σ`` a fixed separable Gaussian (σ = 1, 7×7, replicate
       border, any H and W): a differentiable denoiser that is exactly the
       identity at ``s = 0``; a learnt-σ filter would need a kernel per
       image for little gain.
    7. **Initialisation**: the output layers' weights are N(0, 0.001²) and
       their biases give every image the same near-identity but brightening
       start ``E = +1`` stop (gain 2), ``γ = 1``, ``s = 0.05``; the small
       non-zero weights let the task-loss gradient reach every layer from
       the first step.

    Args:
        in_size (int): Thumbnail side. Defaults to 256.
        channels (Sequence[int]): Predictor conv widths.
            Defaults to (16, 32, 32, 32, 32).
        hidden (int): Predictor hidden width. Defaults to 64.
        exposure_range (float): Max ``|E|`` in stops. Defaults to 5.0.
        gamma_range (float): γ lies in [1/gamma_range, gamma_range].
            Defaults to 3.0.
        blur_sigma (float): σ of the smoothing Gaussian. Defaults to 1.0.
        init_exposure (float): Initial E in stops. Defaults to 1.0.
        init_gamma (float): Initial γ. Defaults to 1.0.
        init_smooth (float): Initial s. Defaults to 0.05.

    Shape:
        - Input: (B, 3, H, W), RGB in [0, 1], any H and W.
        - Output: (B, 3, H, W) in [0, 1].

    Example:
        >>> ialm = IALM()
        >>> ialm(torch.rand(1, 3, 37, 53) * 0.1).shape
        torch.Size([1, 3, 37, 53])
    """

    def __init__(self,
                 in_size: int = 256,
                 channels: Sequence[int] = (16, 32, 32, 32, 32),
                 hidden: int = 64,
                 exposure_range: float = 5.0,
                 gamma_range: float = 3.0,
                 blur_sigma: float = 1.0,
                 init_exposure: float = 1.0,
                 init_gamma: float = 1.0,
                 init_smooth: float = 0.05) -> None:
        super().__init__()
        if not (exposure_range > 0 and abs(init_exposure) < exposure_range and
                gamma_range > 1 and 1 / gamma_range < init_gamma < gamma_range
                and 0 < init_smooth < 1 and blur_sigma > 0):
            raise ValueError(
                'IALM: need exposure_range > |init_exposure|, gamma_range > '
                '1 with init_gamma in (1/gamma_range, gamma_range), '
                '0 < init_smooth < 1 and blur_sigma > 0; got '
                f'exposure_range={exposure_range}, init_exposure='
                f'{init_exposure}, gamma_range={gamma_range}, init_gamma='
                f'{init_gamma}, init_smooth={init_smooth}, '
                f'blur_sigma={blur_sigma}')
        self.exposure_range = exposure_range
        self.log_gamma_range = math.log(gamma_range)
        init_bias = (math.atanh(init_exposure / exposure_range),
                     math.atanh(math.log(init_gamma) / self.log_gamma_range),
                     math.log(init_smooth / (1 - init_smooth)))
        predictors = []
        for bias in init_bias:
            p = ParameterPredictor(1, in_size, channels, hidden)
            nn.init.normal_(p.head.weight, 0.0, 1e-3)
            nn.init.constant_(p.head.bias, bias)
            predictors.append(p)
        self.exposure, self.gamma, self.smoothing = predictors
        radius = math.ceil(3 * blur_sigma)
        t = torch.arange(-radius, radius + 1, dtype=torch.float32)
        kernel = torch.exp(-t**2 / (2 * blur_sigma**2))
        self.register_buffer('kernel', kernel / kernel.sum(), False)

    def blur(self, x: torch.Tensor) -> torch.Tensor:
        """Separable Gaussian blur with replicate border, same size."""
        r = self.kernel.numel() // 2
        # 3 channels, a constant (not x.size(1)): ONNX needs static kernels
        k = self.kernel.to(x.dtype).repeat(3, 1)
        x = F.pad(x, (r, r, r, r), mode='replicate')
        x = F.conv2d(x, k.view(3, 1, 1, -1), groups=3)
        return F.conv2d(x, k.view(3, 1, -1, 1), groups=3)

    def forward(
        self,
        x: torch.Tensor,
        return_params: bool = False
    ) -> Union[torch.Tensor, Tuple[torch.Tensor, Dict[str, torch.Tensor]]]:
        """Apply Exposure → Gamma → Smoothing.

        Args:
            x (Tensor): (B, 3, H, W) RGB image in [0, 1].
            return_params (bool): Also return the predicted ``gain``,
                ``gamma`` and ``smooth`` (each (B, )). Defaults to False.
        """
        if x.dim() != 4 or x.size(1) != 3:
            raise ValueError('IALM expects a (B, 3, H, W) RGB tensor, got '
                             f'shape {tuple(x.shape)}')
        e = self.exposure_range * torch.tanh(self.exposure(x))
        gain = torch.exp(e * math.log(2.0))  # = 2**e; exp2 has no ONNX op
        x = (x * gain[..., None, None]).clamp(0.0, 1.0)
        gamma = torch.exp(self.log_gamma_range * torch.tanh(self.gamma(x)))
        x = x.clamp(min=1e-4).pow(gamma[..., None, None])
        s = torch.sigmoid(self.smoothing(x))
        x = x + s[..., None, None] * (self.blur(x) - x)
        if not return_params:
            return x
        params = dict(gain=gain, gamma=gamma, smooth=s)
        return x, {k: v.flatten() for k, v in params.items()}
