"""The base of the models that train an enhancer without a recognizer."""
from abc import ABCMeta, abstractmethod
from typing import Dict, List, Optional, Union

import torch
from mmengine.model import BaseModel

from .builder import build_enhancer


class BaseEnhancerTrainer(BaseModel, metaclass=ABCMeta):
    """An enhancer trained on images alone, by a loss of its own.

    Subclasses define :meth:`loss`. ``mode='loss'`` returns that loss dict;
    ``'tensor'`` the enhanced batch; ``'predict'`` a list of enhanced
    (3, H, W) images. The default data preprocessor turns the packed uint8
    BGR images of any mmseg/mmpose/mmpretrain pipeline into RGB in [0, 1]
    (mean 0, std 255). The trained ``enhancer`` is exported on its own by
    ``tools/model_converters/export_enhancer.py``.

    Args:
        enhancer (dict): The enhancer's config.
        data_preprocessor (dict, optional): Defaults to an
            ``ImgDataPreprocessor`` giving RGB in [0, 1].
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 enhancer: dict,
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
        self.enhancer = build_enhancer(enhancer)

    @abstractmethod
    def loss(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The training losses of a batch of (B, 3, H, W) RGB ``inputs``."""

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
            return self.loss(inputs)
        if mode == 'tensor':
            return self.enhancer(inputs)
        if mode == 'predict':
            return list(self.enhancer(inputs).unbind(0))
        raise ValueError(f'{type(self).__name__}: mode must be "loss", '
                         f'"tensor" or "predict", got "{mode}"')
