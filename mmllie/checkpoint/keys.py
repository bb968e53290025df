"""Does a checkpoint fit a model? (MMEngine only logs missing keys.)"""
import re
from typing import Dict, List

import torch.nn as nn
from mmengine.model import is_model_wrapper
from mmengine.runner.checkpoint import _load_checkpoint

from mmllie.models.data_preprocessors.global_pixelwise_enhancer import \
    OFF_BUFFER
from mmllie.models.enhancers.pretrained import OWN_WEIGHTS_ATTR

#: Set when the run kept no enhancer
#: (``GlobalPixelwiseEnhancer.set_enhancer_off``).
OFF_KEY = f'data_preprocessor.{OFF_BUFFER}'
#: Model keys a checkpoint may lack (they load with a default).
OPTIONAL_KEYS = (OFF_KEY, )


def checkpoint_mismatch(model: nn.Module, checkpoint: str) -> Dict[str, List]:
    """Keys of ``model`` and ``checkpoint`` that do not pair up.

    Returns:
        dict: ``missing`` (in the model, not in the checkpoint; modules that
        loaded their own weights excepted), ``unexpected`` (in the checkpoint
        only) and ``shape`` (``key: checkpoint shape vs model shape``).
    """
    if is_model_wrapper(model):
        model = model.module
    ckpt = _load_checkpoint(checkpoint, map_location='cpu')
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else {}
    state = {re.sub(r'^module\.', '', k): v for k, v in state.items()}
    own = model.state_dict()
    exempt = tuple(f'{name}.' for name, m in model.named_modules()
                   if getattr(m, OWN_WEIGHTS_ATTR, None))
    shape = [
        f'{k}: {tuple(v.shape)} vs {tuple(own[k].shape)}'
        for k, v in state.items()
        if k in own and hasattr(v, 'shape') and v.shape != own[k].shape
    ]
    return dict(
        missing=sorted(
            k for k in own if k not in state and k not in OPTIONAL_KEYS
            and not k.startswith(exempt)),
        unexpected=sorted(k for k in state if k not in own),
        shape=shape)


def check_checkpoint_matches(model: nn.Module, checkpoint: str) -> None:
    """Raise unless every model weight is in ``checkpoint`` and vice versa.

    Raises:
        KeyError: naming the counts and the first keys of each kind.
    """
    bad = checkpoint_mismatch(model, checkpoint)
    if any(bad.values()):
        parts = [
            f'{len(v)} {k} ({", ".join(v[:3])}{", ..." if len(v) > 3 else ""})'
            for k, v in bad.items() if v
        ]
        raise KeyError(
            f'{checkpoint} does not match the model of this config: '
            f'{"; ".join(parts)}. Is it a checkpoint of another architecture'
            '? Pass --partial-load to load what matches anyway.')


__all__ = ['check_checkpoint_matches', 'checkpoint_mismatch']
