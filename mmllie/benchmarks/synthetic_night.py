"""The embedded default: the paper's experiment on generated data.

A frozen day-trained DeepLabV3+ fails on darkened images; enhancers trained
by its own loss bring it back (paper Tables 3/5). Everything is
measured in the run that prints it.
"""
import os.path as osp
import time
from functools import partial
from typing import Dict, List, Optional, Sequence

from mmengine.config import Config
from mmengine.runner import Runner

from mmllie.datasets import generate_synthetic_city
from mmllie.datasets.nightcity_convert import convert_nightcity_labels
from mmllie.datasets.synthetic_city import darken_dataset
from mmllie.utils.mim_config import get_config_path
from .bench_cfg import train_only
from .common import log, write_results
from .label_free import TRAINERS
from .parallel import available_cpus, default_workers, run_jobs

#: The shipped day recognizer's config (stage 2: evaluated, frozen) and the
#: stage it is fine-tuned from (stage 1: trained from scratch).
DAY_CFG = ('mmllie::synthetic/'
           'deeplabv3plus_r18-tiny-ft-lovasz_1xb8-16k_synthetic-day-64x128.py')
DAY_STAGE1_CFG = ('mmllie::synthetic/'
                  'deeplabv3plus_r18-tiny_1xb8-20k_synthetic-day-64x128.py')
#: Iterations of the two stages (the shipped checkpoint's).
RECOGNIZER_ITERS = (20000, 16000)
ENH_CFG = ('mmllie::synthetic/'
           'gpllie_deeplabv3plus-r18-tiny_1xb8-300_synthetic-night-64x128.py')
#: Shipped day recognizer, package data (regenerate it with
#: ``tools/synthetic_night_benchmark.py --train-recognizer``).
RECOGNIZER = osp.join(
    osp.dirname(osp.abspath(__file__)), 'checkpoints',
    'synthetic_deeplabv3plus_r18-tiny_day-128x256.pth')
LEVELS = ('normal', 'hard', 'extreme')
#: The rows of the main job: name -> how to train it (one entry per row).
#: ``enhancer``: the enhancer config; ``preprocessor``: more arguments of
#: ``GlobalPixelwiseEnhancer``; ``config``: the config to start from
#: (default :data:`ENH_CFG`); ``options``: merged into that config;
#: ``full=True``: only with ``--full`` (the default run keeps the rest).
SETTINGS: Dict[str, dict] = {
    'GEM + PAM':
    dict(enhancer=dict(type='GPLLIE')),
    'GEM only':
    dict(enhancer=dict(type='GPLLIE', use_pam=False), full=True),
    'PAM only':
    dict(enhancer=dict(type='GPLLIE', use_gem=False), full=True),
    'Zero-DCE':
    dict(enhancer=dict(type='ZeroDCE'), full=True),
    'IALM':
    dict(enhancer=dict(type='IALM'), full=True),
    # the CPU variant: PAM at 1/4 (1/2) resolution, its map upsampled
    'GEM + PAM light':
    dict(enhancer=dict(type='LightGPLLIE', pam_scale=4), full=True),
    'GEM + PAM light, PAM at 1/2':
    dict(enhancer=dict(type='LightGPLLIE', pam_scale=2), full=True),
    'GEM + PAM light, guided upsampling':
    dict(
        enhancer=dict(
            type='LightGPLLIE', pam_scale=4, pam=dict(upsampling='guided')),
        full=True),
    # trained without night labels (mmllie.benchmarks.label_free.TRAINERS)
    'GEM + PAM, label-free (day images only)':
    dict(enhancer=dict(type='GPLLIE'), trainer=True),
    'GEM + PAM, day labels + synthetic darkening':
    dict(enhancer=dict(type='GPLLIE'), trainer=True),
}
#: The benchmark's city: 128×256 scenes (enhancers and stage 2 of the day
#: recognizer train on 64×128 crops of them; tests use whole scenes).
DATA = dict(num_train=800, num_val=150, img_size=(128, 256), seed=0)
#: Stage 1 of the day recognizer trains on the same city rendered at the
#: crop size (:func:`stage1_root` says where).
STAGE1_DATA = dict(DATA, img_size=(64, 128))

_log = partial(log, 'synthetic-night')


def prepare_data(data_root: str,
                 train_level: str,
                 data: Optional[dict] = None,
                 levels: Sequence[str] = LEVELS,
                 style: str = 'city') -> Dict[str, str]:
    """Day data, a darkened train copy and one darkened copy per level.

    ``data`` (default :data:`DATA`) and a non-default ``style`` (a
    generator style, written under ``<data_root>/<style>/``) select
    another generated dataset.
    """
    data = dict(DATA if data is None else data)
    nproc = min(available_cpus(), 8)
    if style != 'city':
        data_root, data['style'] = osp.join(data_root, style), style
    roots = dict(day=osp.join(data_root, 'day'))
    generate_synthetic_city(
        roots['day'], **data, show_progress=False, nproc=nproc)
    for level in sorted(set(levels) | {train_level}):
        roots[level] = osp.join(data_root, f'night-{level}')
        darken_dataset(
            roots['day'],
            roots[level],
            level,
            seed=data['seed'],
            show_progress=False,
            nproc=nproc)
    for root in roots.values():
        convert_nightcity_labels(osp.join(root, 'NightCity-label', 'label'))
    return roots


def _cfg(path: str, work_dir: str, data_root: str, **options) -> Config:
    cfg = Config.fromfile(get_config_path(path))
    cfg.work_dir = work_dir
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = data_root
    cfg.default_hooks.visualization = dict(type='SegVisualizationHook')
    cfg.default_hooks.logger.interval = 100
    cfg.merge_from_dict(options)
    return cfg


def evaluate(cfg: Config, data_root: str, checkpoint: str) -> float:
    """mIoU (mmseg ``IoUMetric``) of ``checkpoint`` on ``data_root`` val."""
    cfg = cfg.copy()
    cfg.test_dataloader.dataset.data_root = data_root
    cfg.load_from = checkpoint
    return float(Runner.from_cfg(cfg).test()['mIoU'])


def stage1_root(data_root: str) -> str:
    """Where stage 1's city (:data:`STAGE1_DATA`) lives beside ``data_root``.

    ``data/synthetic_city`` -> ``data/synthetic_city_64x128``, the data root
    of the stage-1 config.
    """
    h, w = STAGE1_DATA['img_size']
    return f'{osp.normpath(data_root)}_{h}x{w}'


def train_recognizer(work_dir: str,
                     day_roots: Sequence[str],
                     iters: Sequence[int],
                     out_file: str,
                     scene_size: Optional[Sequence[int]] = None) -> str:
    """Train the day DeepLabV3+ in its two stages (as the configs say).

    Stage 1 (:data:`DAY_STAGE1_CFG`) trains from scratch on a city rendered
    at the 64×128 crop size; stage 2 (:data:`DAY_CFG`) fine-tunes its last
    checkpoint on crops of the benchmark's city. Both use seed 0.

    Args:
        work_dir (str): Stage ``k`` writes to ``<work_dir>/stage<k>``.
        day_roots (Sequence[str]): Day data roots (NightCity layout) of
            stage 1 (:data:`STAGE1_DATA`) and stage 2 (:data:`DATA`).
        iters (Sequence[int]): Iterations of stage 1 and stage 2
            (:data:`RECOGNIZER_ITERS` for the shipped checkpoint).
        out_file (str): The weights-only copy of stage 2's last checkpoint.
        scene_size (Sequence[int], optional): ``(H, W)`` of stage 2's
            scenes, the scale of its random resize; defaults to the
            config's (``DATA['img_size']``).

    Returns:
        str: ``out_file``.
    """
    from mmllie.checkpoint.weights import save_model_weights
    if len(iters) != 2 or any(int(n) != n or n < 1 for n in iters):
        raise ValueError('iters must be two positive ints (stage 1, stage '
                         f'2), got {iters!r}')
    if len(day_roots) != 2:
        raise ValueError('day_roots must be two data roots (stage 1, stage '
                         f'2), got {day_roots!r}')
    last = None
    stages = zip((DAY_STAGE1_CFG, DAY_CFG), day_roots, iters)
    for stage, (path, root, n) in enumerate(stages):
        stage_dir = osp.join(work_dir, f'stage{stage + 1}')
        cfg = _cfg(path, stage_dir, root, randomness=dict(seed=0))
        if stage == 1 and scene_size is not None:
            for t in cfg.train_dataloader.dataset.pipeline:
                if t['type'] == 'RandomResize':
                    t['scale'] = (int(scene_size[1]), int(scene_size[0]))
        cfg.load_from = last
        cfg.train_cfg.max_iters = cfg.param_scheduler[0].end = n
        cfg.train_cfg.val_interval = n
        cfg.default_hooks.checkpoint.interval = n
        Runner.from_cfg(cfg).train()
        last = osp.join(stage_dir, f'iter_{n}.pth')
    return save_model_weights(last, out_file)


def setting_cfg(spec: dict, work_dir: str, data_root: str,
                **options) -> Config:
    """The config of one :data:`SETTINGS` entry (``spec``)."""
    cfg = _cfg(spec.get('config', ENH_CFG), work_dir, data_root, **options)
    pre = cfg.model.data_preprocessor
    pre.enhancer = spec['enhancer']
    pre.update(spec.get('preprocessor', {}))
    cfg.merge_from_dict(spec.get('options', {}))
    return cfg


def train_enhancer(spec: dict,
                   work_dir: str,
                   data_root: str,
                   recognizer: str,
                   iters: int,
                   seed: int,
                   num_train: Optional[int] = None) -> str:
    """Train one setting in front of the frozen recognizer.

    Args:
        spec (dict): A :data:`SETTINGS` entry.
        num_train (int, optional): Train on the first ``num_train``
            training scenes only (all by default).

    Returns:
        str: The last checkpoint.
    """
    cfg = setting_cfg(
        spec,
        work_dir,
        data_root,
        load_from=recognizer,
        randomness=dict(seed=seed))
    if num_train is not None:
        cfg.train_dataloader.dataset.indices = num_train
    Runner.from_cfg(train_only(cfg, iters)).train()
    return osp.join(work_dir, f'iter_{iters}.pth')


def _row_dir(name: str, seed: int, work_dir: str) -> str:
    tag = name.lower().replace(' + ', '+').replace(' ', '-')
    tag = ''.join(c for c in tag if c.isalnum() or c in '+-_')
    return osp.join(work_dir, f'{tag}_seed{seed}')


def train_and_test_row(name: str, seed: int, work_dir: str,
                       roots: Dict[str, str], level: str, recognizer: str,
                       iters: int, evals: Sequence[str]) -> tuple:
    """Train one row of :data:`SETTINGS` and test it on ``evals``.

    Returns:
        tuple: The last checkpoint and ``{level: mIoU}``.
    """
    spec = SETTINGS[name]
    row_dir = _row_dir(name, seed, work_dir)
    _log(f'training "{name}" (seed {seed}, {iters} iterations)')
    if spec.get('trainer'):
        ckpt = TRAINERS[name](name, row_dir, roots, level, recognizer, iters,
                              seed)
    else:
        ckpt = train_enhancer(spec, row_dir, roots[level], recognizer, iters,
                              seed)
    cfg = setting_cfg(spec, osp.join(row_dir, 'eval'), roots[level])
    return ckpt, {lv: evaluate(cfg, roots[lv], ckpt) for lv in evals}


def default_settings(full: bool = False) -> List[str]:
    """Rows of the default run (``full``: every row of :data:`SETTINGS`)."""
    return [n for n, spec in SETTINGS.items() if full or not spec.get('full')]


def run_synthetic_night_benchmark(work_dir: str,
                                  data_root: str = 'data/synthetic_city',
                                  level: str = 'hard',
                                  iters: int = 300,
                                  seeds: Sequence[int] = (0, ),
                                  settings: Optional[List[str]] = None,
                                  levels: Sequence[str] = LEVELS,
                                  recognizer: Optional[str] = None,
                                  data: Optional[dict] = None,
                                  workers: Optional[int] = None) -> dict:
    """Run the benchmark; write results.json / results.md / figure.png.

    Args:
        work_dir (str): Output directory.
        data_root (str): Where the synthetic data is (generated if absent).
        level (str): Default darkness level: enhancers train on it and the
            share of the day→night drop recovered is reported on it.
        iters (int): Enhancer training iterations (batch 8).
        seeds (Sequence[int]): Training seeds of every setting.
        settings (list[str], optional): Rows of :data:`SETTINGS`; defaults
            to :func:`default_settings`.
        levels (Sequence[str]): Levels evaluated.
        recognizer (str, optional): Day recognizer weights; defaults to the
            shipped checkpoint (fine-tuned on :data:`DATA`'s 128×256
            scenes).
        data (dict, optional): Scene generation parameters; defaults to
            :data:`DATA`. Another ``img_size`` needs a ``recognizer``
            trained on scenes of that size.
        workers (int, optional): Rows trained side by side, each in its own
            process (:func:`~mmllie.benchmarks.parallel.run_jobs`); 1 runs
            them one after the other in this process. Defaults to
            :func:`~mmllie.benchmarks.parallel.default_workers`. The
            workers are spawned: a script calling this with more than one
            worker needs the usual ``if __name__ == '__main__':`` guard.

    Returns:
        dict: The results written to ``results.json``.
    """
    from .report import results_table, write_figure
    start = time.time()
    data = dict(DATA if data is None else data)
    if recognizer is None and tuple(data['img_size']) != DATA['img_size']:
        raise ValueError(
            f'the shipped day recognizer was trained on {DATA["img_size"]} '
            f'scenes, not {tuple(data["img_size"])}: train one with '
            '--train-recognizer --img-size H W and pass it as --recognizer')
    roots = prepare_data(data_root, level, data)
    recognizer = recognizer or RECOGNIZER
    if not osp.isfile(recognizer):
        raise FileNotFoundError(
            f'day recognizer {recognizer} is missing; regenerate it with '
            'tools/synthetic_night_benchmark.py --train-recognizer')
    unknown = set(settings or []) - set(SETTINGS)
    if unknown:
        raise KeyError(f'unknown settings {sorted(unknown)}; expected some '
                       f'of {list(SETTINGS)}')
    day_cfg = _cfg(DAY_CFG, osp.join(work_dir, 'eval'), roots['day'])
    evals = list(dict.fromkeys([level, *levels]))
    _log('evaluating the frozen day recognizer')
    base = dict(day=evaluate(day_cfg, roots['day'], recognizer))
    base.update({lv: evaluate(day_cfg, roots[lv], recognizer) for lv in evals})
    rows = [
        dict(
            name='day images (no darkening)',
            seed=None,
            miou=base['day'],
            per_level={}),
        dict(
            name='no enhancer',
            seed=None,
            miou=base[level],
            per_level={lv: base[lv]
                       for lv in evals})
    ]
    jobs = [(name, seed, work_dir, roots, level, recognizer, iters, evals)
            for name in settings or default_settings() for seed in seeds]
    workers = default_workers(len(jobs)) if workers is None else workers
    if workers > 1:
        _log(f'training {len(jobs)} rows in {workers} processes side by '
             'side; each writes its log to <row dir>/row.log')
        done = run_jobs(
            train_and_test_row,
            jobs, [osp.join(_row_dir(*job[:3]), 'row.log') for job in jobs],
            workers,
            on_done=lambda i, r: _log(f'"{jobs[i][0]}" (seed {jobs[i][1]}) '
                                      f'done: {level} {r[1][level]:.2f}'))
    else:
        done = [train_and_test_row(*job) for job in jobs]
    checkpoints = {}
    for (name, seed, *_), (ckpt, per_level) in zip(jobs, done):
        checkpoints[(name, seed)] = ckpt
        rows.append(
            dict(
                name=name,
                seed=seed,
                miou=per_level[level],
                per_level=per_level))
    drop = base['day'] - base[level]
    for row in rows:
        row['recovered'] = (row['miou'] - base[level]) / drop \
            if drop > 0 and row['seed'] is not None else None
    results = dict(
        level=level, iters=iters, data=data, rows=rows, recognizer=recognizer)
    write_results(results, work_dir, results_table, start)
    if ('GEM + PAM', seeds[0]) in checkpoints:
        write_figure(
            osp.join(work_dir, 'figure.png'), ENH_CFG,
            checkpoints[('GEM + PAM', seeds[0])], roots[level])
    return results
