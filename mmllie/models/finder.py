"""Find the enhancer in a built model: the one place that knows where.

The enhancer lives in ``model.data_preprocessor`` (an
:class:`mmllie.GlobalPixelwiseEnhancer`), for a plain recognizer, a model
wrapper (DDP) and :class:`mmllie.LabelFreeDistiller` alike (its modules are
the recognizer's).
"""
from typing import Optional

import torch.nn as nn
from mmengine.model import is_model_wrapper


def get_enhancer_wrapper(model: nn.Module) -> nn.Module:
    """The model's ``GlobalPixelwiseEnhancer`` (unwrapping DDP).

    Raises:
        TypeError: the model's data preprocessor is something else; the
            message names it and the config line that is needed.
    """
    from mmllie.models.data_preprocessors import GlobalPixelwiseEnhancer
    if is_model_wrapper(model):
        model = model.module
    pre = getattr(model, 'data_preprocessor', None)
    if not isinstance(pre, GlobalPixelwiseEnhancer):
        raise TypeError(
            f'{type(model).__name__}.data_preprocessor is '
            f'{type(pre).__name__}, not mmllie.GlobalPixelwiseEnhancer: set '
            "model.data_preprocessor=dict(type='mmllie."
            "GlobalPixelwiseEnhancer', host=<the recognizer's own>, "
            'enhancer=...)')
    return pre


def get_enhancer(model: nn.Module,
                 required: bool = True) -> Optional[nn.Module]:
    """The enhancer in front of the model's recognizer.

    Args:
        model (nn.Module): A model (or DDP wrapper) whose data preprocessor
            is ``mmllie.GlobalPixelwiseEnhancer``.
        required (bool): Raise when the wrapper has no enhancer
            (``enhancer=None``, a pass-through); else return None.

    Raises:
        TypeError: no mmllie wrapper, or (``required``) no enhancer in it.
    """
    enhancer = get_enhancer_wrapper(model).enhancer
    if enhancer is None and required:
        raise TypeError(
            'The frozen-recognizer guarantee needs an enhancer: '
            "model.data_preprocessor = dict(type='mmllie."
            "GlobalPixelwiseEnhancer', host=..., enhancer=...), got "
            'enhancer=None.')
    return enhancer
