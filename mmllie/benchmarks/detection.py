"""Detection row of the embedded benchmark (mmdet host).

A small mmdet RTMDet trained on the DAY images of the procedural street
scenes at 128×256 (cars and people; shipped checkpoint), frozen; the same
scenes darkened at each level, scored on the same boxes; GEM + PAM trained
in front of it by its own loss on the darkened train scenes. mAP@0.5 from
mmdet's ``VOCMetric`` on the val scenes: day -> night -> GEM + PAM, per
level. Every number is measured in the run that prints it.
"""
import os.path as osp
import time
from functools import partial
from typing import Dict, Optional, Sequence

from mmengine.runner import Runner

from mmllie.datasets.synthetic_city import (darken_dataset,
                                            generate_synthetic_city)
from .bench_cfg import benchmark_cfg
from .common import log, write_results
from .object_boxes import write_coco_boxes
from .single_row import results_table as single_row_table
from .single_row import run_single_row

DAY_CFG = 'mmllie::synthetic/rtmdet-nano_1xb8-2k_synthetic-day-128x256.py'
ENH_CFG = ('mmllie::synthetic/'
           'gpllie_rtmdet-nano_1xb8-300_synthetic-night-128x256.py')
#: Shipped day detector (regenerate: --train-recognizer of the tool).
DETECTOR = osp.join(
    osp.dirname(osp.abspath(__file__)), 'checkpoints',
    'synthetic_rtmdet-nano_day-128x256.pth')
LEVELS = ('normal', 'hard', 'extreme')
#: Scenes at 128×256: people are ~9×26 pixels there (median), enough for
#: a stride-8 detector; the segmentation benchmark's 64×128 halves that.
DATA = dict(num_train=800, num_val=150, img_size=(128, 256), seed=0)

_log = partial(log, 'synthetic-det')


def prepare_scenes(data_root: str,
                   levels: Sequence[str],
                   data: dict = DATA) -> Dict[str, str]:
    """Day scenes, one darkened copy per level, COCO boxes in each."""
    roots = dict(day=osp.join(data_root, 'day'))
    generate_synthetic_city(roots['day'], **data, show_progress=False)
    for level in levels:
        roots[level] = osp.join(data_root, f'night-{level}')
        darken_dataset(
            roots['day'],
            roots[level],
            level,
            data['seed'],
            show_progress=False)
    write_coco_boxes(roots['day'], list(roots.values()))
    return roots


def train_detector(work_dir: str,
                   day_root: str,
                   out_file: str,
                   iters: Optional[int] = None) -> str:
    """Train the day detector (the documented command does the same)."""
    from mmllie.checkpoint.weights import save_model_weights
    cfg = benchmark_cfg(DAY_CFG, work_dir, day_root)
    if iters is not None:
        cfg.train_cfg.max_iters = cfg.train_cfg.val_interval = iters
        cfg.default_hooks.checkpoint.interval = iters
        cfg.param_scheduler[1].end = cfg.param_scheduler[1].T_max = iters
    Runner.from_cfg(cfg).train()
    return save_model_weights(
        osp.join(work_dir, f'iter_{cfg.train_cfg.max_iters}.pth'), out_file)


def run_detection_benchmark(work_dir: str,
                            data_root: str = 'data/synthetic_city_det',
                            level: str = 'hard',
                            iters: int = 300,
                            seed: int = 0,
                            levels: Sequence[str] = LEVELS,
                            detector: Optional[str] = None,
                            data: dict = DATA) -> dict:
    """mAP@0.5 on day scenes, night scenes and night scenes + GEM + PAM;
    writes ``results.json`` and ``results.md`` (:func:`results_table`).

    Args:
        work_dir (str): Output directory.
        data_root (str): Synthetic city root (generated if absent).
        level (str): Darkness GEM + PAM trains on.
        iters (int): Enhancer training iterations (batch 8).
        seed (int): Enhancer training seed.
        levels (Sequence[str]): Levels evaluated.
        detector (str, optional): Day detector weights; defaults to the
            shipped checkpoint.
        data (dict): Scene generation parameters (:data:`DATA`).

    Returns:
        dict: ``day``, and per level ``night`` / ``gem+pam`` mAP@0.5 (%),
        with the run's ``seconds``.
    """
    start = time.time()
    levels = list(dict.fromkeys([level, *levels]))
    detector = detector or DETECTOR
    if not osp.isfile(detector):
        raise FileNotFoundError(
            f'day detector {detector} is missing; regenerate it with '
            'tools/synthetic_night_benchmark.py --task detection '
            '--train-recognizer')
    roots = prepare_scenes(data_root, levels, data)
    results = run_single_row(work_dir, DAY_CFG, ENH_CFG, roots, detector,
                             'pascal_voc/mAP', level, levels, iters, seed,
                             _log, 100.)
    results.update(data=data)
    write_results(results, work_dir, results_table, start)
    return results


def results_table(results: dict) -> str:
    """A markdown table of :func:`run_detection_benchmark`'s output."""
    return single_row_table(results, 'mAP@0.5', 'day scenes')
