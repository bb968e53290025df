"""Train a denoiser on day images darkened on the fly, no recognizer."""
from typing import Dict, Optional

import torch

from mmllie.registry import MODELS
from .base_enhancer_trainer import BaseEnhancerTrainer
from .builder import build_enhancer
from .filters import mean_brightness


@MODELS.register_module()
class DenoiserPretrainer(BaseEnhancerTrainer):
    """An enhancer trained to undo the darkening model's noise.

    Each batch of day images is darkened by
    :class:`mmllie.BatchLowLightSynthesis` (new exposure, gains and noise
    per image and call); the enhancer sees the dark, noisy images and is
    trained by the mean squared error to the same darkening without the
    noise, divided by each image's mean brightness (floored at
    ``min_brightness``) so that dark and bright frames count alike: the
    minimum-MSE denoiser of the darkening model on the user's own frames.
    Export the trained enhancer with
    ``tools/model_converters/export_enhancer.py`` and put it in front of a
    recognizer frozen, e.g. as the ``denoiser`` candidate of
    :class:`mmllie.NoiseAdaptiveSmoothing`.

    ``mode='loss'`` returns ``dict(loss_denoise=...)``; the other modes
    are those of :class:`BaseEnhancerTrainer`.

    Args:
        enhancer (dict): The enhancer's config. Defaults to
            ``dict(type='mmllie.ResidualDenoiser')``.
        darkening (dict): Config of :class:`mmllie.BatchLowLightSynthesis`
            (``level`` and range overrides). Defaults to
            ``dict(level='hard')``.
        min_brightness (float): Floor of the per-image brightness the error
            is divided by. Defaults to 0.02.
        data_preprocessor (dict, optional): Defaults to an
            ``ImgDataPreprocessor`` giving RGB in [0, 1].
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 enhancer: Optional[dict] = None,
                 darkening: Optional[dict] = None,
                 min_brightness: float = 0.02,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            enhancer or dict(type='mmllie.ResidualDenoiser'),
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        if min_brightness <= 0:
            raise ValueError('DenoiserPretrainer: min_brightness must be '
                             f'> 0, got {min_brightness}')
        darkening = dict(darkening or dict(level='hard'))
        darkening.setdefault('type', 'mmllie.BatchLowLightSynthesis')
        self.darkening = build_enhancer(darkening)
        self.min_brightness = float(min_brightness)

    def loss(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The brightness-relative MSE of the enhanced dark ``inputs``."""
        dark, clean = self.darkening.pair(inputs)
        scale = mean_brightness(dark, self.min_brightness)
        error = (self.enhancer(dark) - clean) / scale
        return dict(loss_denoise=error.pow(2).mean())
