"""Where the frozen recognizer's weights come from: ``load_from`` or the
model's own ``init_cfg`` (``Pretrained``). An enhancer trained in front of a
randomly initialised recognizer learns nothing useful."""
import re
from typing import Dict, List, Optional

import torch
import torch.nn as nn
from mmengine.model import is_model_wrapper

from mmllie.models.data_preprocessors.global_pixelwise_enhancer import \
    OFF_BUFFER
from mmllie.models.enhancers.pretrained import OWN_WEIGHTS_ATTR


def _pretrained(init_cfg) -> bool:
    cfgs = init_cfg if isinstance(init_cfg, (list, tuple)) else [init_cfg]
    return any(
        isinstance(c, dict) and str(c.get('type', '')).endswith('Pretrained')
        and c.get('checkpoint') for c in cfgs)


def recognizer_keys(model: nn.Module, enhancer: nn.Module) -> List[str]:
    """``state_dict`` keys of ``model`` that are not the enhancer's (nor the
    wrapper's ``enhancer_off`` switch), nor of a module that loads its own
    weights (``init_cfg`` of type ``Pretrained``, ``PretrainedEnhancer``)."""
    if is_model_wrapper(model):
        model = model.module
    skip, switches = [], set()
    for name, module in model.named_modules():
        prefix = f'{name}.' if name else ''
        if module is enhancer or getattr(module, OWN_WEIGHTS_ATTR, None) or \
                _pretrained(getattr(module, 'init_cfg', None)):
            skip.append(prefix)
        if isinstance(getattr(module, OFF_BUFFER, None), torch.Tensor):
            switches.add(f'{prefix}{OFF_BUFFER}')  # the wrapper's switch
    skip = tuple(skip)
    return [
        k for k in model.state_dict()
        if not k.startswith(skip) and k not in switches
    ]


def recognizer_mismatch(model: nn.Module, enhancer: nn.Module,
                        state: Optional[dict]) -> Dict[str, List[str]]:
    """Recognizer keys a checkpoint's ``state`` lacks (``missing``), keys
    the model lacks (``unexpected``) and differing shapes (``shape``);
    ``state=None`` (no ``load_from``): every recognizer key is missing."""
    if is_model_wrapper(model):
        model = model.module
    own = model.state_dict()
    needed = recognizer_keys(model, enhancer)
    if state is None:
        return dict(missing=needed, unexpected=[], shape=[])
    state = {re.sub(r'^module\.', '', k): v for k, v in state.items()}
    return dict(
        missing=[k for k in needed if k not in state],
        unexpected=sorted(k for k in state if k not in own),
        shape=[
            f'{k}: {tuple(v.shape)} vs {tuple(own[k].shape)}'
            for k, v in state.items() if k in own and hasattr(v, 'shape')
            and tuple(v.shape) != tuple(own[k].shape)
        ])


def describe_mismatch(bad: Dict[str, List[str]]) -> str:
    """``'12 missing (a, b, c, ...); 3 unexpected (...)'``."""
    return '; '.join(
        f'{len(v)} {k} ({", ".join(v[:3])}{", ..." if len(v) > 3 else ""})'
        for k, v in bad.items() if v)


__all__ = ['describe_mismatch', 'recognizer_keys', 'recognizer_mismatch']
