"""Enhancer-only checkpoints: export from a full training checkpoint, load
into a fresh enhancer without the recognizer (in a config:
``mmllie.PretrainedEnhancer``)."""
import os.path as osp
from typing import Optional

import torch.nn as nn
from mmengine.runner.checkpoint import _load_checkpoint, save_checkpoint

from mmllie.models.enhancers.builder import build_enhancer
from .keys import OFF_KEY
from .stored_cfg import enhancer_cfg_from_meta

PREFIX = 'data_preprocessor.enhancer.'
#: Enhancer weights in a ``GlobalPixelwiseEnhancer`` model, then in a model
#: that trains the enhancer alone (``mmllie.ZeroDCEUnsupervised``).
PREFIXES = (PREFIX, 'enhancer.')
DEFAULT_CFG = dict(type='GPLLIE')


def export_enhancer(checkpoint: str,
                    out_file: str,
                    overwrite: bool = False) -> dict:
    """Write the enhancer weights (and config) of a training checkpoint.

    Args:
        checkpoint (str): A checkpoint saved by an mmllie training run
            (``GlobalPixelwiseEnhancer`` in front of a recognizer, or
            ``ZeroDCEUnsupervised``).
        out_file (str): Path of the enhancer-only checkpoint.
        overwrite (bool): Replace an existing ``out_file``.

    Returns:
        dict: The saved checkpoint (``state_dict`` and ``meta``).
    """
    if osp.exists(out_file) and not overwrite:
        raise FileExistsError(f'{out_file} exists; pass overwrite=True '
                              '(--overwrite) to replace it')
    ckpt = _load_checkpoint(checkpoint, map_location='cpu')
    state = ckpt.get('state_dict', ckpt)
    if bool(state.get(OFF_KEY, False)):
        raise ValueError(
            f'{checkpoint} keeps no enhancer ({OFF_KEY} is set: its run '
            'found every enhancer state worse than none on validation, see '
            "meta['enhancer_guard']); there is no enhancer to export. The "
            'trained one is in the *_trained.pth beside it.')
    enhancer_state = {}
    for prefix in PREFIXES:
        enhancer_state = {
            k[len(prefix):]: v
            for k, v in state.items() if k.startswith(prefix)
        }
        if enhancer_state:
            break
    if not enhancer_state:
        raise KeyError(f'{checkpoint} has no "{PREFIX}*" (nor "enhancer.*") '
                       'weights: it was not saved from a model with '
                       'mmllie.GlobalPixelwiseEnhancer as data_preprocessor '
                       '(nor from mmllie.ZeroDCEUnsupervised)')
    enhancer_cfg = enhancer_cfg_from_meta(ckpt.get('meta', {}), checkpoint)
    if enhancer_cfg is None:
        _check_default_keys(enhancer_state, checkpoint)
    out = dict(
        state_dict=enhancer_state,
        meta=dict(enhancer_cfg=enhancer_cfg or DEFAULT_CFG, source=checkpoint))
    save_checkpoint(out, out_file)
    return out


def _check_default_keys(state: dict, checkpoint: str) -> None:
    """Refuse to label weights the default config does not fit.

    A checkpoint without a stored config (no ``meta['enhancer_cfg']`` nor
    ``meta['cfg']``) is exported as :data:`DEFAULT_CFG`; weights of
    another enhancer would give a file that no config loads.
    """
    expected = set(build_enhancer(DEFAULT_CFG).state_dict())
    missing = sorted(expected - set(state))
    unexpected = sorted(set(state) - expected)
    if missing or unexpected:
        raise ValueError(
            f"{checkpoint} stores no enhancer config (meta['enhancer_cfg'] "
            f"or meta['cfg']) and its enhancer weights are not those of the "
            f'default {DEFAULT_CFG} (missing keys {missing[:5]}, unexpected '
            f'keys {unexpected[:5]}): export a checkpoint saved by the '
            'training run (iter_*.pth), which stores its config')


def _type_name(cfg: dict) -> str:
    return str(cfg.get('type', '')).split('.')[-1]


def stored_enhancer_cfg(checkpoint: str) -> dict:
    """The enhancer config stored in an enhancer-only checkpoint.

    Read as data (never executed); every type it names must be registered.
    Checkpoints written before the config was stored give
    :data:`DEFAULT_CFG`.

    Args:
        checkpoint (str): File written by :func:`export_enhancer`.

    Returns:
        dict: e.g. ``dict(type='GPLLIE')``, for ``PretrainedEnhancer``'s
        ``enhancer`` argument.
    """
    ckpt = _load_checkpoint(checkpoint, map_location='cpu')
    meta = ckpt.get('meta') if isinstance(ckpt.get('meta'), dict) else {}
    stored = enhancer_cfg_from_meta(
        dict(enhancer_cfg=meta.get('enhancer_cfg')), checkpoint)
    return dict(stored or DEFAULT_CFG)


def load_enhancer(checkpoint: str,
                  cfg: Optional[dict] = None,
                  map_location: str = 'cpu') -> nn.Module:
    """Build an enhancer and load an enhancer-only checkpoint (strict).

    Args:
        checkpoint (str): File written by :func:`export_enhancer`.
        cfg (dict, optional): Enhancer config; defaults to the one stored
            in the checkpoint.
        map_location (str): Device to load onto. Defaults to 'cpu'.

    Returns:
        nn.Module: The enhancer, in eval mode.
    """
    ckpt = _load_checkpoint(checkpoint, map_location=map_location)
    if 'state_dict' not in ckpt:
        raise KeyError(f'{checkpoint} is not an enhancer checkpoint (no '
                       '"state_dict"); export one with '
                       'tools/model_converters/export_enhancer.py')
    meta = ckpt.get('meta') if isinstance(ckpt.get('meta'), dict) else {}
    stored = enhancer_cfg_from_meta(
        dict(enhancer_cfg=meta.get('enhancer_cfg')), checkpoint)
    if cfg and stored and _type_name(cfg) != _type_name(stored):
        raise TypeError(f'{checkpoint} holds a {_type_name(stored)} '
                        f'enhancer, not the requested {_type_name(cfg)}')
    cfg = dict(cfg or stored or DEFAULT_CFG)
    enhancer = build_enhancer(cfg)
    missing, unexpected = enhancer.load_state_dict(
        ckpt['state_dict'], strict=False)
    if missing or unexpected:
        raise KeyError(f'{checkpoint} does not match {cfg}: missing keys '
                       f'{missing[:5]}, unexpected keys {unexpected[:5]}')
    return enhancer.eval()


__all__ = ['export_enhancer', 'load_enhancer', 'stored_enhancer_cfg']
