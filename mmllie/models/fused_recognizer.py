"""Enhancer + recognizer as ONE network, for deployment (ONNX).

``GlobalPixelwiseEnhancer`` runs the enhancer inside the host's data
preprocessor, which export tools skip. :class:`FusedEnhancerRecognizer`
spells the same data path out as a plain ``nn.Module`` of tensors, with
the wrapper's own :class:`~mmllie.models.data_preprocessors.
host_normalization.HostNormalization`::

    RGB image in [0, 255] → /255 → enhancer → host normalisation
      (×255, → BGR if the host does not convert, mean/std)
      → recognizer head outputs

Head outputs are the recognizer's ``mode='tensor'`` outputs: segmentation
logits (B, C, h, w) at the decode head's resolution, pose heatmaps
(B, K, h, w), classification logits (B, num_classes), a detector's
per-level class scores and box regressions (decoding and NMS are left to
the application, as in mmdet's own ``mode='tensor'``).
"""
import copy

import torch
import torch.nn as nn


class FusedEnhancerRecognizer(nn.Module):
    """The enhancer, the host's normalisation and the recognizer in one.

    Args:
        model (nn.Module): An OpenMMLab model whose ``data_preprocessor``
            is ``mmllie.GlobalPixelwiseEnhancer`` (not modified: a copy is
            taken).
        with_enhancer (bool): ``False`` gives the recognizer alone (same
            normalisation), for latency comparisons. Defaults to True.
        deploy (bool): Fold the enhancer's BatchNorms into its convs
            (:func:`mmllie.models.enhancers.deploy_enhancer`). Defaults to
            True.

    Shape:
        - Input: (B, 3, H, W) RGB float in [0, 255] (no padding is done:
          give a size the recognizer accepts).
        - Output: the recognizer's head outputs (see module docstring).
    """

    def __init__(self,
                 model: nn.Module,
                 with_enhancer: bool = True,
                 deploy: bool = True) -> None:
        super().__init__()
        from mmllie.models.data_preprocessors import GlobalPixelwiseEnhancer
        pre = model.data_preprocessor
        if not isinstance(pre, GlobalPixelwiseEnhancer):
            raise TypeError(f'{type(model).__name__}.data_preprocessor is '
                            f'{type(pre).__name__}; expected mmllie.'
                            'GlobalPixelwiseEnhancer')
        model = copy.deepcopy(model).eval()
        pre = model.data_preprocessor
        enhancer = pre.enhancer if with_enhancer and pre.enhancer_active \
            else None
        if enhancer is not None and deploy:
            from mmllie.models.enhancers import deploy_enhancer
            enhancer = deploy_enhancer(enhancer, channels_last=False)
        self.enhancer = enhancer
        self.normalization = pre.normalization
        model.data_preprocessor = nn.Identity()
        self.recognizer = model

    def forward(self, x: torch.Tensor):
        """(B, 3, H, W) RGB in [0, 255] → recognizer head outputs."""
        x = x / 255.
        if self.enhancer is not None:
            x = self.enhancer(x)
        x = self.normalization.from_unit(x)
        return self.recognizer(x, None, mode='tensor')
