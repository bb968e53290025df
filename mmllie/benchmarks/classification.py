"""Classification row of the embedded benchmark (mmpretrain host).

A small mmpretrain ResNet-18 trained on object-centred DAY crops of the
procedural street scenes (shipped checkpoint), frozen; the same crops of the
darkened scenes at each level; GEM + PAM trained in front of it by its
cross-entropy on the darkened train crops. Top-1 from mmpretrain's
``Accuracy`` on the val crops: day -> night -> GEM + PAM, per level. Every
number is measured in the run that prints it.
"""
import os.path as osp
import time
from functools import partial
from typing import Dict, Optional, Sequence

from mmengine.config import Config
from mmengine.runner import Runner

from mmllie.datasets.synthetic_city import (darken_dataset,
                                            generate_synthetic_city)
from .bench_cfg import benchmark_cfg
from .common import log, write_results
from .object_crops import write_object_crops
from .single_row import results_table as single_row_table
from .single_row import run_single_row, score

DAY_CFG = ('mmllie::synthetic/'
           'resnet18-tiny_1xb32-1500_synthetic-crops-day-32x32.py')
ENH_CFG = ('mmllie::synthetic/'
           'gpllie_resnet18-tiny_1xb32-300_synthetic-crops-night-32x32.py')
#: Shipped day classifier (regenerate: --train-recognizer of the tool).
CLASSIFIER = osp.join(
    osp.dirname(osp.abspath(__file__)), 'checkpoints',
    'synthetic_resnet18-tiny_crops-day-32x32.pth')
LEVELS = ('normal', 'hard', 'extreme')
#: The 64×128 city (the segmentation benchmark's day recognizer trains its
#: stage 1 on it: same folders, shared).
DATA = dict(num_train=800, num_val=150, img_size=(64, 128), seed=0)

_log = partial(log, 'synthetic-cls')


def prepare_crops(data_root: str,
                  levels: Sequence[str],
                  data: dict = DATA) -> Dict[str, str]:
    """Scenes (day + one darkened copy per level) and their crops."""
    day = osp.join(data_root, 'day')
    generate_synthetic_city(day, **data, show_progress=False)
    crops = dict(day=osp.join(data_root, 'crops-day'))
    write_object_crops(day, day, crops['day'])
    for level in levels:
        night = osp.join(data_root, f'night-{level}')
        darken_dataset(day, night, level, data['seed'], show_progress=False)
        crops[level] = osp.join(data_root, f'crops-night-{level}')
        write_object_crops(night, day, crops[level])
    return crops


def top1(cfg: Config, data_root: str, checkpoint: str) -> float:
    """Top-1 (mmpretrain ``Accuracy``) of ``checkpoint`` on val crops."""
    return score(cfg, data_root, checkpoint, 'accuracy/top1')


def train_classifier(work_dir: str, crops: str, out_file: str) -> str:
    """Train the day classifier (the documented command does the same)."""
    from mmllie.checkpoint.weights import save_model_weights
    cfg = benchmark_cfg(DAY_CFG, work_dir, crops)
    Runner.from_cfg(cfg).train()
    iters = cfg.train_cfg.max_iters
    return save_model_weights(
        osp.join(work_dir, f'iter_{iters}.pth'), out_file)


def run_classification_benchmark(work_dir: str,
                                 data_root: str = 'data/synthetic_city_64x128',
                                 level: str = 'hard',
                                 iters: int = 300,
                                 seed: int = 0,
                                 levels: Sequence[str] = LEVELS,
                                 classifier: Optional[str] = None,
                                 data: dict = DATA) -> dict:
    """Top-1 on day crops, night crops and night crops + GEM + PAM;
    writes ``results.json`` and ``results.md`` (:func:`results_table`).

    Args:
        work_dir (str): Output directory.
        data_root (str): Synthetic city root (generated if absent).
        level (str): Darkness GEM + PAM trains on.
        iters (int): Enhancer training iterations (batch 32).
        seed (int): Enhancer training seed.
        levels (Sequence[str]): Levels evaluated.
        classifier (str, optional): Day classifier weights; defaults to the
            shipped checkpoint.
        data (dict): Scene generation parameters (:data:`DATA`).

    Returns:
        dict: ``day``, and per level ``night`` / ``gem+pam`` top-1 (%),
        with the run's ``seconds``.
    """
    start = time.time()
    levels = list(dict.fromkeys([level, *levels]))
    crops = prepare_crops(data_root, levels, data)
    classifier = classifier or CLASSIFIER
    if not osp.isfile(classifier):
        raise FileNotFoundError(
            f'day classifier {classifier} is missing; regenerate it with '
            'tools/synthetic_night_benchmark.py --task classification '
            '--train-recognizer')
    results = run_single_row(work_dir, DAY_CFG, ENH_CFG, crops, classifier,
                             'accuracy/top1', level, levels, iters, seed, _log)
    results.update(data=data)
    write_results(results, work_dir, results_table, start)
    return results


def results_table(results: dict) -> str:
    """A markdown table of :func:`run_classification_benchmark`'s output."""
    return single_row_table(results, 'top-1', 'day crops')
