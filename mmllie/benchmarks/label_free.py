"""Benchmark rows that train the enhancer without night labels.

Same frozen day recognizer, iterations, batch and night test sets as the
labelled-night rows of :mod:`mmllie.benchmarks.synthetic_night`; only the
training data changes:

* ``label-free``: the synthetic DAY train images as a bare folder
  (``mmllie.ImageFolderDataset``), darkened on the fly at the train level
  by ``mmllie.BatchLowLightSynthesis``, self-distillation
  (``mmllie.LabelFreeDistiller``), no labels;
* ``day labels + darkening``: the DAY train images with their labels,
  darkened at random every iteration by ``mmllie.LowLightSynthesis`` in the
  pipeline (MAET), trained by the recognizer's own loss.

The checkpoints have the keys of the labelled-night enhancer config, so
they are evaluated exactly like its rows.
"""
import os.path as osp
from typing import Callable, Dict

from mmengine.config import Config
from mmengine.runner import Runner

from mmllie.utils.mim_config import get_config_path
from .bench_cfg import train_only

LABEL_FREE_CFG = 'mmllie::synthetic/gpllie-label-free_deeplabv3plus-r18-tiny_1xb8-300_synthetic-day2night-64x128.py'  # noqa: E501
DARKENED_DAY_CFG = 'mmllie::synthetic/gpllie-darkened_deeplabv3plus-r18-tiny_1xb8-300_synthetic-day2night-64x128.py'  # noqa: E501
LABEL_FREE = 'GEM + PAM, label-free (day images only)'
DARKENED_DAY = 'GEM + PAM, day labels + synthetic darkening'


def _train(path: str, work_dir: str, roots: Dict[str, str], train_level: str,
           recognizer: str, iters: int, seed: int, **options) -> str:
    """Train from the day split; the test loader reads the train level."""
    cfg = Config.fromfile(get_config_path(path))
    cfg.work_dir = work_dir
    cfg.load_from = recognizer
    cfg.randomness = dict(seed=seed)
    cfg.train_dataloader.dataset.data_root = roots['day']
    for loader in ('val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = roots[train_level]
    cfg.default_hooks.visualization = dict(type='SegVisualizationHook')
    cfg.default_hooks.logger.interval = 50
    cfg.merge_from_dict(options)
    train_only(cfg, iters)
    Runner.from_cfg(cfg).train()
    return osp.join(work_dir, f'iter_{iters}.pth')


def train_label_free(name: str, work_dir: str, roots: Dict[str, str],
                     train_level: str, recognizer: str, iters: int,
                     seed: int) -> str:
    """GEM + PAM from bare day images darkened at ``train_level``."""
    return _train(LABEL_FREE_CFG, work_dir, roots, train_level, recognizer,
                  iters, seed, **{'model.darkening.level': train_level})


def train_darkened_day(name: str, work_dir: str, roots: Dict[str, str],
                       train_level: str, recognizer: str, iters: int,
                       seed: int) -> str:
    """GEM + PAM from labelled day images darkened in the pipeline."""
    cfg = Config.fromfile(get_config_path(DARKENED_DAY_CFG))
    pipeline = cfg.train_dataloader.dataset.pipeline
    for t in pipeline:
        if t['type'] == 'mmllie.LowLightSynthesis':
            t['level'] = train_level
    return _train(DARKENED_DAY_CFG, work_dir, roots, train_level, recognizer,
                  iters, seed,
                  **{'train_dataloader.dataset.pipeline': pipeline})


#: row name -> training function (signature of ``train_enhancer``)
TRAINERS: Dict[str, Callable[..., str]] = {
    LABEL_FREE: train_label_free,
    DARKENED_DAY: train_darkened_day,
}
