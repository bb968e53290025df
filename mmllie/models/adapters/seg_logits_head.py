"""A pass-through mmseg decode head for networks that output logits."""
from typing import List

import torch
from mmseg.models.decode_heads.decode_head import BaseDecodeHead

from mmllie.registry import MODELS


@MODELS.register_module()
class LogitsSegHead(BaseDecodeHead):
    """Takes segmentation logits as they are (no layer of its own).

    With ``mmllie.TorchModuleBackbone`` a plain PyTorch segmentation
    network becomes an mmseg ``EncoderDecoder``: mmseg's losses, metrics,
    sliding-window inference, resizing to the image and visualiser apply
    unchanged.

    Args:
        num_classes (int): Channels of the logits.
        **kwargs: ``BaseDecodeHead`` arguments (``loss_decode``,
            ``align_corners``, ``ignore_index``, ...).
    """

    def __init__(self, num_classes: int, **kwargs) -> None:
        kwargs.setdefault('init_cfg', None)
        super().__init__(
            in_channels=num_classes,
            channels=num_classes,
            num_classes=num_classes,
            dropout_ratio=0,
            **kwargs)
        del self.conv_seg  # the logits are final

    def forward(self, inputs: List[torch.Tensor]) -> torch.Tensor:
        logits = self._transform_inputs(inputs)
        if logits.shape[1] != self.num_classes:
            raise ValueError(f'LogitsSegHead: the network returned '
                             f'{logits.shape[1]} channels, num_classes is '
                             f'{self.num_classes}')
        return logits
