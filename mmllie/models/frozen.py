"""Helpers shared by the frozen-recognizer hook and the DDP wrapper."""
from typing import Tuple

import torch.nn as nn
from mmengine.model import is_model_wrapper


def get_enhancer(model: nn.Module) -> nn.Module:
    """Return ``model.data_preprocessor.enhancer`` (unwrapping DDP).

    Raises:
        TypeError: if the model has no mmllie enhancer in front of it.
    """
    from mmllie.models.data_preprocessors import GlobalPixelwiseEnhancer
    if is_model_wrapper(model):
        model = model.module
    pre = getattr(model, 'data_preprocessor', None)
    if not isinstance(pre, GlobalPixelwiseEnhancer) or pre.enhancer is None:
        raise TypeError(
            'The frozen-recognizer guarantee needs '
            "model.data_preprocessor = dict(type='mmllie."
            "GlobalPixelwiseEnhancer', host=..., enhancer=...), got "
            f'{type(pre).__name__} with no enhancer.')
    return pre.enhancer


def freeze_recognizer(model: nn.Module) -> Tuple[int, int]:
    """Set ``requires_grad=False`` on every non-enhancer parameter.

    Returns:
        tuple[int, int]: (trainable, frozen) parameter counts.
    """
    enhancer = get_enhancer(model)
    enhancer_ids = {id(p) for p in enhancer.parameters()}
    trainable = frozen = 0
    for param in model.parameters():
        if id(param) in enhancer_ids:
            param.requires_grad_(True)
            trainable += param.numel()
        else:
            param.requires_grad_(False)
            frozen += param.numel()
    return trainable, frozen


def set_recognizer_eval(model: nn.Module) -> None:
    """Put the recognizer in eval mode, keeping the enhancer's mode."""
    enhancer = get_enhancer(model)
    mode = enhancer.training
    model.eval()
    enhancer.train(mode)
