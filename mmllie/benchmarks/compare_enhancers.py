""""Is it helping?": one recognizer, one test set, several enhancers.

For each setting (no enhancer, a fixed gain/gamma baseline, each given
enhancer checkpoint) and each subset (a set of config overrides, e.g. a
darkness level's ``data_root``), the config's own test loop and metric run
with the recognizer's weights; the enhancer is swapped through the config
(``model.data_preprocessor.enhancer``), nothing else changes.
"""
import copy
import os.path as osp
import uuid
from typing import Dict, List, Optional

import torch
from mmengine.config import Config
from mmengine.runner import Runner
from mmengine.runner.checkpoint import _load_checkpoint, save_checkpoint

from mmllie.checkpoint.enhancer import (PREFIX, export_enhancer,
                                        stored_enhancer_cfg)


def recognizer_only(checkpoint: str, out_file: str) -> str:
    """Copy of a checkpoint without any ``data_preprocessor.*`` weights, so
    the recognizer is loaded and the enhancer under test stays."""
    ckpt = _load_checkpoint(checkpoint, map_location='cpu')
    state = ckpt.get('state_dict', ckpt)
    state = {
        k: v
        for k, v in state.items() if not k.startswith('data_preprocessor.')
    }
    meta = {k: v for k, v in ckpt.get('meta', {}).items() if k != 'cfg'}
    save_checkpoint(dict(state_dict=state, meta=meta), out_file)
    return out_file


def enhancer_only(checkpoint: str, tmp_dir: str, index: int) -> str:
    """An enhancer-only checkpoint: the file itself, or the enhancer of a
    full training checkpoint (written to ``tmp_dir``)."""
    ckpt = _load_checkpoint(checkpoint, map_location='cpu')
    state = ckpt.get('state_dict', ckpt)
    if not any(k.startswith(PREFIX) for k in state):
        return checkpoint
    out = osp.join(tmp_dir, f'enhancer_{index}.pth')
    export_enhancer(checkpoint, out, overwrite=True)
    return out


def settings(checkpoints: List[str], tmp_dir: str, gain: float,
             gamma: float) -> Dict[str, Optional[dict]]:
    """Setting name → enhancer config (``None``: no enhancer)."""
    out = {
        'no enhancer':
        None,
        f'fixed gain {gain:g}, gamma {gamma:g}':
        dict(type='mmllie.FixedGainGamma', gain=gain, gamma=gamma)
    }
    names = [osp.splitext(osp.basename(c))[0] for c in checkpoints]
    for i, (ckpt, name) in enumerate(zip(checkpoints, names)):
        if names.count(name) > 1:
            name = f'{name} ({osp.basename(osp.dirname(ckpt))})'
        enhancer_file = enhancer_only(ckpt, tmp_dir, i)
        out[name] = dict(
            type='mmllie.PretrainedEnhancer',
            checkpoint=enhancer_file,
            enhancer=stored_enhancer_cfg(enhancer_file))
    return out


def run_test(cfg: Config, enhancer: Optional[dict], recognizer: str,
             overrides: dict, work_dir: str) -> Dict[str, float]:
    """The config's test loop with one enhancer; its metrics."""
    cfg = copy.deepcopy(cfg)
    cfg.merge_from_dict(overrides)
    pre = cfg.model.data_preprocessor
    if not str(pre.get('type', '')).endswith('GlobalPixelwiseEnhancer'):
        raise ValueError(f'{cfg.filename}: model.data_preprocessor is '
                         f'{pre.get("type")}, not mmllie.'
                         'GlobalPixelwiseEnhancer')
    pre.enhancer = enhancer
    cfg.load_from = recognizer
    cfg.work_dir = work_dir
    cfg.custom_hooks = [  # test only: nothing to freeze
        h for h in cfg.get('custom_hooks', [])
        if 'FreezeRecognizer' not in str(h.get('type'))
    ]
    cfg.experiment_name = f'compare_{uuid.uuid4().hex}'  # own logger
    runner = Runner.from_cfg(cfg)
    metrics = runner.test()
    return {
        k: float(v)
        for k, v in metrics.items()
        if isinstance(v, (int, float)) or torch.is_tensor(v)
    }
