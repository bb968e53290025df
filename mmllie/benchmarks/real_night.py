"""The benchmark on real frames: a user's recognizer and a few day frames.

From a Cityscapes-layout data root (``leftImg8bit/{train,val}``,
``gtFine/{train,val}``), a labelled recipe config and a label-free recipe
config of the frozen recognizer (the darkened val frames in their test
pipeline: ``mmllie.LowLightSynthesis`` with a fixed seed) and the
recognizer's weights, per darkness level:

* tests the recognizer on the day val frames, on the darkened ones with no
  enhancer and with the enhancer's starting state;
* trains GEM + PAM both ways on the train frames (labels + darkening in the
  pipeline; images only, self-distillation), darkened at that level;
* tests each trained enhancer, and counts per image how many val frames it
  makes worse than no enhancer (:class:`~mmllie.evaluation.per_image_iou.
  PerImageIoUMetric`).

Rows train side by side in worker processes
(:func:`~mmllie.benchmarks.parallel.run_jobs`).
"""
import os
import os.path as osp
from functools import partial
from typing import Dict, List, Optional, Sequence

import torch
from mmengine.config import Config, ConfigDict
from mmengine.runner import Runner

from mmllie.evaluation.per_image_iou import (  # noqa: F401  (registers)
    PerImageIoUMetric, count_worse, load_per_image)
from mmllie.utils.safe_load import safe_torch_load
from .bench_cfg import train_only
from .common import log
from .parallel import default_workers, run_jobs

#: Levels of the real benchmark (the darker ones leave nothing to recover
#: on real frames at 1024x512: ``hard`` already takes ESPNetv2 to 3.6).
LEVELS = ('normal', 'hard')
RECIPES = ('labelled', 'label-free')
#: Column names of the report.
TITLES = {
    'labelled': 'trained (labels, darkened day frames)',
    'label-free': 'trained, label-free (day images only)'
}
DARKENING = 'mmllie.LowLightSynthesis'

_log = partial(log, 'real-night')


def _darkening_of(pipeline: list, where: str) -> dict:
    found = [t for t in pipeline if t.get('type') == DARKENING]
    if len(found) != 1:
        raise ValueError(f'{where}: expected one {DARKENING} transform, '
                         f'found {len(found)} in {pipeline}')
    return found[0]


def _enhancer_node(cfg: Config, path: str) -> ConfigDict:
    """The enhancer config of a recipe, in place (inside the
    ``mmllie.LabelFreeDistiller`` of a label-free recipe)."""
    model = cfg.model
    if 'LabelFreeDistiller' in str(model.get('type')):
        model = model.recognizer
    enhancer = (model.get('data_preprocessor') or {}).get('enhancer')
    if not isinstance(enhancer, dict):
        raise ValueError(f'{path}: expected an enhancer config at '
                         'model[.recognizer].data_preprocessor.enhancer, got '
                         f'{enhancer!r}')
    return enhancer


def real_cfg(path: str,
             work_dir: str,
             data_root: str,
             level: Optional[str],
             enhancer_options: Optional[dict] = None,
             **options) -> Config:
    """``path`` reading ``data_root``, its val / test frames darkened at
    ``level`` (``None``: the day frames) and per-image mIoU as evaluator.

    The train pipeline's darkening (labelled recipe) or the distiller's
    (label-free recipe) is set to ``level`` too. ``enhancer_options``
    (dotted keys, as ``--cfg-options``) are merged into the recipe's
    enhancer config, e.g. ``{'pam.upsample': 'bilinear'}``.
    """
    cfg = Config.fromfile(path)
    if enhancer_options:
        node = _enhancer_node(cfg, path)
        merged = Config(dict(enhancer=node.to_dict()))
        merged.merge_from_dict({
            f'enhancer.{k}': v
            for k, v in enhancer_options.items()
        })
        node.clear()
        node.update(merged.enhancer.to_dict())
    cfg.work_dir = work_dir
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg.get(loader):
            cfg[loader].dataset.data_root = data_root
    test = cfg.test_dataloader.dataset.pipeline
    dark = _darkening_of(test, f'{path} test_dataloader')
    if level is None:
        test.remove(dark)
    else:
        dark['level'] = level
        train = cfg.train_dataloader.dataset.pipeline
        if any(t.get('type') == DARKENING for t in train):
            _darkening_of(train, f'{path} train_dataloader')['level'] = level
        if cfg.model.get('darkening'):
            cfg.model.darkening['level'] = level
    cfg.val_dataloader = cfg.test_dataloader
    evaluator = dict(cfg.test_evaluator, type='mmllie.PerImageIoUMetric')
    cfg.val_evaluator = cfg.test_evaluator = evaluator
    cfg.default_hooks.logger.interval = 50
    cfg.merge_from_dict(options)
    return cfg


def evaluate(cfg: Config,
             checkpoint: str,
             out_file: str,
             enhancer: bool = True) -> dict:
    """mIoU and per-image mIoU of ``checkpoint`` with ``cfg``'s test loop.

    ``enhancer=False`` tests the recognizer alone (the wrapper as a
    pass-through).
    """
    cfg = cfg.copy()
    cfg.load_from = checkpoint
    cfg.test_evaluator = dict(cfg.test_evaluator, out_file=out_file)
    if not enhancer:
        cfg.model.data_preprocessor.enhancer = None
    metrics = Runner.from_cfg(cfg).test()
    return dict(
        mIoU=float(metrics['mIoU']), per_image=load_per_image(out_file))


def _with_enhancer(recognizer: str, enhancer_state: Dict[str, torch.Tensor],
                   out_file: str) -> str:
    """A checkpoint of the recognizer's weights and an enhancer state."""
    ckpt = safe_torch_load(recognizer, map_location='cpu')
    state = dict(ckpt.get('state_dict', ckpt))
    state.update({
        f'data_preprocessor.enhancer.{k}': v
        for k, v in enhancer_state.items()
    })
    torch.save(dict(state_dict=state), out_file)
    return out_file


def baseline_job(config: str, work_dir: str, data_root: str, recognizer: str,
                 levels: Sequence[str]) -> dict:
    """Day frames and every level with no enhancer."""
    out = dict(day=None, levels={})
    for level in (None, *levels):
        name = level or 'day'
        run_dir = osp.join(work_dir, 'eval', f'no-enhancer_{name}')
        cfg = real_cfg(config, run_dir, data_root, level)
        result = evaluate(cfg, recognizer, osp.join(run_dir, 'per_image.json'),
                          False)
        if level is None:
            out['day'] = result
        else:
            out['levels'][level] = result
    return out


def recipe_job(recipe: str,
               config: str,
               test_config: str,
               work_dir: str,
               data_root: str,
               recognizer: str,
               level: str,
               iters: int,
               seed: int,
               enhancer_options: Optional[dict] = None) -> dict:
    """Train one recipe at ``level``; test its start and trained states."""
    run_dir = osp.join(work_dir, f'{recipe}_{level}_seed{seed}')
    cfg = real_cfg(
        config,
        run_dir,
        data_root,
        level,
        enhancer_options,
        load_from=recognizer,
        randomness=dict(seed=seed))
    train_only(cfg, iters)
    cfg.custom_hooks = [
        h for h in cfg.get('custom_hooks', [])
        if 'EnhancerGuardHook' not in str(h.get('type'))
    ]
    runner = Runner.from_cfg(cfg)
    pre = runner.model.data_preprocessor
    start = {k: v.clone() for k, v in pre.enhancer.state_dict().items()}
    runner.train()
    trained = osp.join(run_dir, f'iter_{iters}.pth')
    test = real_cfg(test_config, osp.join(run_dir, 'test'), data_root, level,
                    enhancer_options)
    out = dict(
        trained=evaluate(test, trained,
                         osp.join(run_dir, 'per_image_trained.json')),
        checkpoint=trained)
    start_ckpt = _with_enhancer(recognizer, start,
                                osp.join(run_dir, 'enhancer_start_full.pth'))
    out['start'] = evaluate(test, start_ckpt,
                            osp.join(run_dir, 'per_image_start.json'))
    return out


def run_real_night_benchmark(work_dir: str,
                             data_root: str,
                             labelled_config: str,
                             label_free_config: str,
                             recognizer: str,
                             levels: Sequence[str] = LEVELS,
                             iters: int = 300,
                             seed: int = 0,
                             workers: Optional[int] = None,
                             enhancer_options: Optional[dict] = None) -> dict:
    """Run the benchmark; write ``results.json`` and ``results.md``.

    Args:
        work_dir (str): Output directory (one folder per trained row, each
            with its log ``row.log``).
        data_root (str): Cityscapes layout: the enhancers train on
            ``train``, everything is tested on ``val``.
        labelled_config (str): The labelled recipe (enhancer + frozen
            recognizer, darkened day frames in the train pipeline, darkened
            val frames in the test pipeline).
        label_free_config (str): The label-free recipe
            (``mmllie.LabelFreeDistiller`` around the same model).
        recognizer (str): The recognizer's checkpoint (``load_from``).
        levels (Sequence[str]): Darkness levels: each trains both recipes
            at that level and tests on val frames darkened at it.
        iters (int): Training iterations of every row.
        seed (int): Training seed.
        workers (int, optional): Processes side by side
            (:func:`~mmllie.benchmarks.parallel.default_workers`).
        enhancer_options (dict, optional): Merged into both recipes'
            enhancer config (dotted keys, e.g. ``{'use_pam': False}``):
            one lever measured on the same loop.

    Returns:
        dict: What ``results.json`` holds.
    """
    for path, what in ((labelled_config, 'labelled config'),
                       (label_free_config, 'label-free config'),
                       (recognizer, 'recognizer checkpoint')):
        if not osp.isfile(path):
            raise FileNotFoundError(f'{what} {path} does not exist')
    for split in ('train', 'val'):
        folder = osp.join(data_root, 'leftImg8bit', split)
        if not osp.isdir(folder):
            raise FileNotFoundError(
                f'{folder} does not exist: --data-root must be a Cityscapes '
                'layout (leftImg8bit/{train,val}, gtFine/{train,val})')
    os.makedirs(work_dir, exist_ok=True)
    jobs: List[tuple] = [(baseline_job, (labelled_config, work_dir, data_root,
                                         recognizer, tuple(levels)))]
    for level in levels:
        for recipe, cfg in zip(RECIPES, (labelled_config, label_free_config)):
            jobs.append((recipe_job,
                         (recipe, cfg, labelled_config, work_dir, data_root,
                          recognizer, level, iters, seed, enhancer_options)))
    names = ['baseline'] + [f'{r}_{lv}' for lv in levels for r in RECIPES]
    logs = [osp.join(work_dir, 'logs', f'{n}.log') for n in names]
    workers = default_workers(len(jobs)) if workers is None else workers
    _log(f'{len(jobs)} jobs in {workers} processes; logs in '
         f'{osp.join(work_dir, "logs")}')
    done = run_jobs(
        _call,
        jobs,
        logs,
        workers,
        on_done=lambda i, r: _log(f'{names[i]} done'))
    results = collect(done[0], dict(zip(names[1:], done[1:])), levels, iters,
                      seed, data_root, labelled_config, label_free_config,
                      recognizer)
    results['enhancer'] = _enhancer_node(
        real_cfg(labelled_config, work_dir, data_root, None, enhancer_options),
        labelled_config).to_dict()
    from .real_night_report import write_real_results
    write_real_results(results, work_dir)
    return results


def _call(fn, args):
    return fn(*args)


def collect(baseline: dict, rows: Dict[str, dict], levels: Sequence[str],
            iters: int, seed: int, data_root: str, labelled_config: str,
            label_free_config: str, recognizer: str) -> dict:
    """One entry per level: day / no enhancer / start / both recipes, each
    with mean mIoU, the share of the drop recovered and per-image counts
    against no enhancer."""
    day = baseline['day']['mIoU']
    out = dict(
        day=baseline['day'],
        iters=iters,
        seed=seed,
        data_root=data_root,
        configs=dict(labelled=labelled_config, label_free=label_free_config),
        recognizer=recognizer,
        levels={})
    for level in levels:
        night = baseline['levels'][level]
        entry = dict(night=night, rows={})
        drop = day - night['mIoU']
        states = dict(start=rows[f'labelled_{level}']['start'])
        states.update({
            recipe: rows[f'{recipe}_{level}']['trained']
            for recipe in RECIPES
        })
        for name, res in states.items():
            entry['rows'][name] = dict(
                res,
                recovered=(res['mIoU'] - night['mIoU']) /
                drop if drop > 0 else None,
                **count_worse(res['per_image'], night['per_image']))
        out['levels'][level] = entry
    return out
