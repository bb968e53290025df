"""Train Zero-DCE the authors' way (no labels) inside MMEngine."""
from typing import Dict, List, Optional, Union

import torch
from mmengine.model import BaseModel

from mmllie.registry import MODELS
from .builder import build_enhancer


@MODELS.register_module()
class ZeroDCEUnsupervised(BaseModel):
    """An enhancer trained by the zero-reference losses, no recognizer.

    ``mode='loss'`` enhances the batch and returns the four weighted
    zero-reference terms (Guo et al., CVPR 2020, eq. 8); ``'tensor'``
    returns the enhanced batch and ``'predict'`` a list of enhanced
    (3, H, W) images. The default data preprocessor turns the packed uint8
    BGR images of any mmseg/mmpose/mmpretrain pipeline into RGB in [0, 1]
    (mean 0, std 255). Save ``model.enhancer.state_dict()`` to reuse the
    trained enhancer in ``mmllie.GlobalPixelwiseEnhancer``.

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
        if data_preprocessor is None:
            data_preprocessor = dict(
                type='ImgDataPreprocessor',
                mean=[0.0, 0.0, 0.0],
                std=[255.0, 255.0, 255.0],
                bgr_to_rgb=True)
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.enhancer = build_enhancer(enhancer or dict(type='ZeroDCE'))
        self.loss_module = build_enhancer(
            loss or dict(type='mmllie.ZeroReferenceLoss'))

    def forward(
        self,
        inputs: torch.Tensor,
        data_samples: Optional[list] = None,
        mode: str = 'tensor'
    ) -> Union[Dict[str, torch.Tensor], torch.Tensor, List[torch.Tensor]]:
        """Run in ``'loss'``, ``'tensor'`` or ``'predict'`` mode.

        Args:
            inputs (Tensor): (B, 3, H, W) RGB in [0, 1].
            data_samples (list, optional): Unused (no labels).
            mode (str): 'loss', 'tensor' or 'predict'.
        """
        if mode == 'loss':
            enhanced, curves = self.enhancer(inputs, return_curves=True)
            return self.loss_module(enhanced, inputs, curves)
        if mode == 'tensor':
            return self.enhancer(inputs)
        if mode == 'predict':
            return list(self.enhancer(inputs).unbind(0))
        raise ValueError(f'ZeroDCEUnsupervised: mode must be "loss", '
                         f'"tensor" or "predict", got "{mode}"')
