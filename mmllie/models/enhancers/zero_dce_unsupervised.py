"""Train Zero-DCE the authors' way (no labels) inside MMEngine."""
from typing import Dict, Optional

import torch

from mmllie.registry import MODELS
from .base_enhancer_trainer import BaseEnhancerTrainer
from .builder import build_enhancer


@MODELS.register_module()
class ZeroDCEUnsupervised(BaseEnhancerTrainer):
    """An enhancer trained by the zero-reference losses, no recognizer.

    ``mode='loss'`` enhances the batch and returns the four weighted
    zero-reference terms (Guo et al., CVPR 2020, eq. 8); the other modes
    are those of :class:`BaseEnhancerTrainer`. Export the trained enhancer
    to reuse it in ``mmllie.GlobalPixelwiseEnhancer``.

    Args:
        enhancer (dict): Config of an enhancer whose forward accepts
            ``return_curves=True``. Defaults to ``mmllie.ZeroDCE``.
        loss (dict): Config of the loss, called as
            ``loss(enhanced, img, curves)`` and returning a dict.
            Defaults to ``mmllie.ZeroReferenceLoss``.
        data_preprocessor (dict, optional): Defaults to an
            ``ImgDataPreprocessor`` giving RGB in [0, 1].
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 enhancer: Optional[dict] = None,
                 loss: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            enhancer or dict(type='ZeroDCE'),
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.loss_module = build_enhancer(
            loss or dict(type='mmllie.ZeroReferenceLoss'))

    def loss(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The zero-reference terms of the enhanced ``inputs``."""
        enhanced, curves = self.enhancer(inputs, return_curves=True)
        return self.loss_module(enhanced, inputs, curves)
