"""Does a trained enhancer generalise? Training-set size and domain shift.

Users train on a handful of their own night frames. The sweep trains the
enhancer on the first 2, 8, 32 and 800 scenes of the synthetic city (same
recognizer, iterations and batch as the main job) and tests every model on
the same unseen val scenes at every darkness level, plus on val scenes of
another generator style (``'town'``: other palettes, textures and layout)
that no enhancer saw. Each entry of :data:`VARIANTS` (the class defaults,
which start as the identity, and the grey-world exposure start) is one
curve. Finished models are reused from ``work_dir`` when the sweep is run
again.
"""
import json
import os
import os.path as osp
from typing import Dict, Optional, Sequence

from .common import log
from .synthetic_night import (DATA, DAY_CFG, LEVELS, RECOGNIZER, _cfg,
                              evaluate, prepare_data, setting_cfg,
                              train_enhancer)

#: name -> how to train it (a ``SETTINGS`` entry of the main job).
VARIANTS: Dict[str, dict] = {
    # GEM starts at the grey-world exposure gain: fixed prior, k = 1
    'grey-world start':
    dict(
        enhancer=dict(
            type='GPLLIE',
            gem=dict(exposure_prior='fixed', log_gain_scale=1.0))),
    # the class defaults, exactly as a user's config builds them: GEM's
    # prior weight is learnt from 0, so the untrained enhancer is the identity
    'identity start':
    dict(enhancer=dict(type='GPLLIE')),
}
SIZES = (2, 8, 32, 800)
SHIFT_STYLE = 'town'


def _evaluate_all(spec: Optional[dict], checkpoint: str,
                  roots: Dict[str, Dict[str, str]], levels: Sequence[str],
                  work_dir: str) -> Dict[str, Dict[str, float]]:
    """mIoU per style and level (``spec=None``: the bare recognizer)."""
    out = {}
    for style, style_roots in roots.items():
        cfg = _cfg(DAY_CFG, work_dir, style_roots['day']) if spec is None \
            else setting_cfg(spec, work_dir, style_roots['day'])
        names = (['day'] if spec is None else []) + list(levels)
        out[style] = {
            lv: evaluate(cfg, style_roots[lv], checkpoint)
            for lv in names
        }
    return out


def _cached(path: str, compute) -> dict:
    if osp.isfile(path):
        with open(path) as f:
            return json.load(f)
    result = compute()
    with open(path, 'w') as f:
        json.dump(result, f)
    return result


def run_generalisation_sweep(work_dir: str,
                             data_root: str = 'data/synthetic_city',
                             sizes: Sequence[int] = SIZES,
                             iters: int = 300,
                             train_level: str = 'hard',
                             levels: Sequence[str] = LEVELS,
                             seed: int = 0,
                             variants: Optional[Dict[str, dict]] = None,
                             data: Optional[dict] = None,
                             recognizer: Optional[str] = None) -> dict:
    """Train every variant on ``sizes`` scenes; test on unseen scenes.

    Args:
        work_dir (str): Output directory (``sweep.json``, ``sweep.md``,
            ``sweep.png`` and one sub-directory per trained model).
        data_root (str): Synthetic data (generated if absent).
        sizes (Sequence[int]): Training-set sizes (first N train scenes).
        iters (int): Training iterations (batch 8) per model.
        train_level (str): Darkness the enhancers train on.
        levels (Sequence[str]): Darkness levels tested.
        seed (int): Training seed.
        variants (dict, optional): Defaults to :data:`VARIANTS`.
        data (dict, optional): Generated data; defaults to the main job's.
        recognizer (str, optional): Day recognizer; the shipped one.

    Returns:
        dict: What ``sweep.json`` holds.
    """
    from .generalisation_report import write_sweep
    os.makedirs(work_dir, exist_ok=True)
    data = dict(DATA if data is None else data)
    roots = dict(city=prepare_data(data_root, train_level, data, levels))
    shift = dict(data, num_train=0)
    roots[SHIFT_STYLE] = prepare_data(
        data_root, train_level, shift, levels, style=SHIFT_STYLE)
    recognizer = recognizer or RECOGNIZER
    eval_dir = osp.join(work_dir, 'eval')
    log('sweep', 'evaluating the bare recognizer')
    base = _cached(
        osp.join(work_dir, 'no_enhancer.json'),
        lambda: _evaluate_all(None, recognizer, roots, levels, eval_dir))
    rows = []
    for name, spec in (variants or VARIANTS).items():
        tag = name.replace(' ', '-')
        for n in [0, *sizes]:
            run_dir = osp.join(work_dir, f'{tag}_n{n}')
            os.makedirs(run_dir, exist_ok=True)

            def compute(n=n, run_dir=run_dir, spec=spec):
                ckpt = recognizer if n == 0 else train_enhancer(
                    spec,
                    run_dir,
                    roots['city'][train_level],
                    recognizer,
                    iters,
                    seed,
                    num_train=n)
                return _evaluate_all(spec, ckpt, roots, levels, eval_dir)

            log('sweep', f'{name}: {n} training scenes')
            miou = _cached(osp.join(run_dir, 'miou.json'), compute)
            rows.append(dict(variant=name, num_train=n, miou=miou))
    results = dict(
        train_level=train_level,
        iters=iters,
        seed=seed,
        data=data,
        shift_style=SHIFT_STYLE,
        levels=list(levels),
        no_enhancer=base,
        variants={
            k: v
            for k, v in (variants or VARIANTS).items()
        },
        rows=rows)
    write_sweep(results, work_dir)
    return results
