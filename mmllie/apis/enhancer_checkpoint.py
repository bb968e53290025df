"""Enhancer-only checkpoints: export from a full training checkpoint, load
into a fresh enhancer without the recognizer (DESIGN §2), or put one in
front of a frozen recognizer from a config (``PretrainedEnhancer``)."""
import os.path as osp
from typing import Optional

import torch.nn as nn
from mmengine.config import Config
from mmengine.runner.checkpoint import _load_checkpoint, save_checkpoint

from mmllie.registry import MODELS

PREFIX = 'data_preprocessor.enhancer.'
#: Enhancer weights in a ``GlobalPixelwiseEnhancer`` model, then in a model
#: that trains the enhancer alone (``mmllie.ZeroDCEUnsupervised``).
PREFIXES = (PREFIX, 'enhancer.')
DEFAULT_CFG = dict(type='GPLLIE')


def _enhancer_cfg_from_meta(meta: dict) -> Optional[dict]:
    cfg_text = meta.get('cfg') if isinstance(meta, dict) else None
    if not cfg_text:
        return None
    cfg = Config.fromstring(cfg_text, file_format='.py')
    model = cfg.get('model', {})
    pre = model.get('data_preprocessor', {})
    enhancer = pre.get('enhancer') if isinstance(pre, dict) else None
    enhancer = enhancer or model.get('enhancer')
    return enhancer.to_dict() if hasattr(enhancer, 'to_dict') else enhancer


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
    enhancer_cfg = _enhancer_cfg_from_meta(ckpt.get('meta', {}))
    out = dict(
        state_dict=enhancer_state,
        meta=dict(enhancer_cfg=enhancer_cfg or DEFAULT_CFG, source=checkpoint))
    save_checkpoint(out, out_file)
    return out


def _type_name(cfg: dict) -> str:
    return str(cfg.get('type', '')).split('.')[-1]


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
    stored = ckpt.get('meta', {}).get('enhancer_cfg')
    if cfg and stored and _type_name(cfg) != _type_name(stored):
        raise TypeError(f'{checkpoint} holds a {_type_name(stored)} '
                        f'enhancer, not the requested {_type_name(cfg)}')
    cfg = dict(cfg or stored or DEFAULT_CFG)
    name = cfg.get('type')
    if isinstance(name, str) and '.' not in name:
        cfg['type'] = f'mmllie.{name}'
    enhancer = MODELS.build(cfg)
    missing, unexpected = enhancer.load_state_dict(
        ckpt['state_dict'], strict=False)
    if missing or unexpected:
        raise KeyError(f'{checkpoint} does not match {cfg}: missing keys '
                       f'{missing[:5]}, unexpected keys {unexpected[:5]}')
    return enhancer.eval()


@MODELS.register_module(name='PretrainedEnhancer')
def build_pretrained_enhancer(checkpoint: str,
                              enhancer: Optional[dict] = None) -> nn.Module:
    """An enhancer with the weights of an enhancer-only checkpoint.

    For configs: ``enhancer=dict(type='PretrainedEnhancer',
    checkpoint='zero_dce.pth')`` in ``mmllie.GlobalPixelwiseEnhancer``
    evaluates an enhancer trained elsewhere (e.g. Zero-DCE by its own
    losses) in front of a frozen recognizer; the recognizer checkpoint
    given to ``tools/test.py`` holds no enhancer weights, so these stay.

    Args:
        checkpoint (str): File written by :func:`export_enhancer`.
        enhancer (dict, optional): Enhancer config; defaults to the one
            stored in the checkpoint.

    Returns:
        nn.Module: The enhancer (see :func:`load_enhancer`).
    """
    return load_enhancer(checkpoint, enhancer)


__all__ = ['export_enhancer', 'load_enhancer', 'build_pretrained_enhancer']
