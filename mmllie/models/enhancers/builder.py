"""Build an enhancer from any scope; find the enhancer in a config."""
from typing import Optional

import torch.nn as nn

from mmllie.registry import MODELS

#: ``type`` names of the wrapper (bare, or scoped as configs write it)
WRAPPER_TYPES = ('GlobalPixelwiseEnhancer', 'mmllie.GlobalPixelwiseEnhancer')


def build_enhancer(cfg: dict) -> nn.Module:
    """Build an mmllie enhancer; a bare ``type`` resolves from any scope.

    A config inside an mmseg / mmpose / mmpretrain model is read in that
    host's default scope, where ``type='GPLLIE'`` is unknown: bare names
    of mmllie's registry are prefixed with ``mmllie.`` here.

    Args:
        cfg (dict): Enhancer config, e.g. ``dict(type='GPLLIE')``.

    Returns:
        nn.Module: The enhancer.
    """
    cfg = dict(cfg)
    name = cfg.get('type')
    if isinstance(name, str) and '.' not in name:
        if name not in MODELS.module_dict:
            raise KeyError(f'unknown enhancer type {name!r}; mmllie has '
                           f'{sorted(MODELS.module_dict)}')
        cfg['type'] = f'mmllie.{name}'
    return MODELS.build(cfg)


def find_enhancer_cfg(model_cfg: dict) -> Optional[dict]:
    """The enhancer config of a model config, or None.

    Looks in ``data_preprocessor.enhancer`` of a ``GlobalPixelwiseEnhancer``
    (an enhancer in front of a recognizer), then in ``enhancer`` (a model
    that trains the enhancer alone, ``mmllie.ZeroDCEUnsupervised``).

    Args:
        model_cfg (dict): ``cfg.model`` of a config (a dict or ConfigDict).

    Returns:
        dict | None: A plain dict copy of the enhancer config.
    """
    pre = model_cfg.get('data_preprocessor') or {}
    enhancer = None
    if isinstance(pre, dict) and pre.get('type') in WRAPPER_TYPES:
        enhancer = pre.get('enhancer')
    enhancer = enhancer or model_cfg.get('enhancer')
    if not enhancer:
        return None
    if hasattr(enhancer, 'to_dict'):
        return enhancer.to_dict()
    return dict(enhancer)
