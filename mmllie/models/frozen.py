"""Helpers shared by the frozen-recognizer hook and the DDP wrapper."""
import logging
from typing import Optional, Tuple

import torch.nn as nn
from mmengine.logging import print_log

from .finder import get_enhancer


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


#: Set on the enhancer module by ``FreezeRecognizerHook`` once the
#: recognizer is frozen and kept in eval mode; ``GlobalPixelwiseEnhancer``
#: refuses a training forward without it (or ``train_recognizer=True``).
FROZEN_FLAG = '_mmllie_recognizer_frozen'


def mark_recognizer_frozen(model: nn.Module) -> None:
    """Record on the model's enhancer that the frozen guarantee is active."""
    setattr(get_enhancer(model), FROZEN_FLAG, True)


#: Set on the enhancer once joint training (``train_recognizer=True``) was
#: announced, so that it is announced once.
JOINT_FLAG = '_mmllie_joint_training'


def mark_joint_training(model: nn.Module) -> None:
    """Record that ``FreezeRecognizerHook`` announced joint training."""
    setattr(get_enhancer(model), JOINT_FLAG, True)


def is_recognizer_frozen(enhancer: nn.Module) -> bool:
    """Whether :func:`mark_recognizer_frozen` ran for this enhancer."""
    return bool(getattr(enhancer, FROZEN_FLAG, False))


def check_training_allowed(enhancer: Optional[nn.Module],
                           train_recognizer: bool = False) -> None:
    """Refuse a training step that would train the recognizer by accident.

    Called by ``GlobalPixelwiseEnhancer`` on every training forward, so the
    frozen guarantee does not depend on a config line being inherited (a
    child config's ``custom_hooks`` replaces the parent's list).

    Raises:
        RuntimeError: there is no enhancer to train, or the recognizer is not
            frozen by ``mmllie.FreezeRecognizerHook``; the message says how
            to opt out on purpose (``train_recognizer=True``).
    """
    if train_recognizer:
        if enhancer is not None and not getattr(enhancer, JOINT_FLAG, False):
            setattr(enhancer, JOINT_FLAG, True)  # say it once
            print_log(
                'GlobalPixelwiseEnhancer: train_recognizer=True: the '
                'recognizer trains together with the enhancer (joint '
                'training); add mmllie.FreezeRecognizerHook to custom_hooks '
                'to have the number of recognizer parameters logged.',
                logger='current',
                level=logging.WARNING)
        return
    opt_out = ('To train the recognizer on purpose (joint training), set '
               'model.data_preprocessor.train_recognizer=True.')
    if enhancer is None:
        raise RuntimeError(
            'GlobalPixelwiseEnhancer has no enhancer (enhancer=None): this '
            'model only tests the plain recognizer, and training it would '
            'train the recognizer. Set model.data_preprocessor.enhancer to '
            'train an enhancer. ' + opt_out)
    if not is_recognizer_frozen(enhancer):
        raise RuntimeError(
            'Training started with an mmllie enhancer but the recognizer is '
            'not frozen: every recognizer weight and BN statistic would be '
            "trained. Add dict(type='mmllie.FreezeRecognizerHook') to "
            'custom_hooks (a config that sets custom_hooks replaces the '
            'inherited list, dropping the hook; tools/train.py adds it '
            'itself). ' + opt_out)
