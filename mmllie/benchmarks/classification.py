"""Classification row of the embedded benchmark (mmpretrain host).

A small mmpretrain ResNet-18 trained on object-centred DAY crops of the
procedural street scenes (shipped checkpoint), frozen; the same crops of the
darkened scenes at each level; GEM + PAM trained in front of it by its
cross-entropy on the darkened train crops. Top-1 from mmpretrain's
``Accuracy`` on the val crops: day -> night -> GEM + PAM, per level. Every
number is measured in the run that prints it.
"""
import os.path as osp
from typing import Dict, Optional, Sequence

from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.runner import Runner

from mmllie.datasets.synthetic_city import (darken_dataset,
                                            generate_synthetic_city)
from .bench_cfg import benchmark_cfg
from .object_crops import write_object_crops

DAY_CFG = ('mmllie::synthetic/'
           'resnet18-tiny_1xb32-1500_synthetic-crops-day-32x32.py')
ENH_CFG = ('mmllie::synthetic/'
           'gpllie_resnet18-tiny_1xb32-300_synthetic-crops-night-32x32.py')
#: Shipped day classifier (regenerate: --train-recognizer of the tool).
CLASSIFIER = osp.join(
    osp.dirname(osp.abspath(__file__)), 'checkpoints',
    'synthetic_resnet18-tiny_crops-day-32x32.pth')
LEVELS = ('normal', 'hard', 'extreme')
#: The scenes of the segmentation benchmark (same folders, shared).
DATA = dict(num_train=800, num_val=150, img_size=(64, 128), seed=0)


def _log(msg: str) -> None:
    print_log(f'[synthetic-cls] {msg}', logger='current')


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
    cfg = cfg.copy()
    cfg.test_dataloader.dataset.data_root = data_root
    cfg.load_from = checkpoint
    return float(Runner.from_cfg(cfg).test()['accuracy/top1'])


def train_classifier(work_dir: str, crops: str, out_file: str) -> str:
    """Train the day classifier (the documented command does the same)."""
    from mmllie.apis.recognizer_checkpoint import save_model_weights
    cfg = benchmark_cfg(DAY_CFG, work_dir, crops)
    Runner.from_cfg(cfg).train()
    iters = cfg.train_cfg.max_iters
    return save_model_weights(
        osp.join(work_dir, f'iter_{iters}.pth'), out_file)


def run_classification_benchmark(work_dir: str,
                                 data_root: str = 'data/synthetic_city',
                                 level: str = 'hard',
                                 iters: int = 300,
                                 seed: int = 0,
                                 levels: Sequence[str] = LEVELS,
                                 classifier: Optional[str] = None,
                                 data: dict = DATA) -> dict:
    """Top-1 on day crops, night crops and night crops + GEM + PAM.

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
        dict: ``day``, and per level ``night`` / ``gem+pam`` top-1 (%).
    """
    levels = list(dict.fromkeys([level, *levels]))
    crops = prepare_crops(data_root, levels, data)
    classifier = classifier or CLASSIFIER
    if not osp.isfile(classifier):
        raise FileNotFoundError(
            f'day classifier {classifier} is missing; regenerate it with '
            'tools/synthetic_classification_benchmark.py --train-recognizer')
    day_cfg = benchmark_cfg(DAY_CFG, osp.join(work_dir, 'eval'), crops['day'])
    _log('evaluating the frozen day classifier')
    results = dict(day=top1(day_cfg, crops['day'], classifier), levels={})
    _log(f'training GEM + PAM on {level} crops ({iters} iterations)')
    enh_dir = osp.join(work_dir, f'gem+pam_{level}_seed{seed}')
    cfg = benchmark_cfg(
        ENH_CFG,
        enh_dir,
        crops[level],
        load_from=classifier,
        randomness=dict(seed=seed))
    cfg.train_cfg.max_iters = cfg.param_scheduler[0].end = iters
    cfg.train_cfg.val_interval = cfg.default_hooks.checkpoint.interval = iters
    Runner.from_cfg(cfg).train()
    enhanced = osp.join(enh_dir, f'iter_{iters}.pth')
    for lv in levels:
        results['levels'][lv] = {
            'night': top1(day_cfg, crops[lv], classifier),
            'gem+pam': top1(cfg, crops[lv], enhanced)
        }
    results.update(level=level, iters=iters, seed=seed, data=data)
    return results


def results_table(results: dict) -> str:
    """A markdown table of :func:`run_classification_benchmark`'s output."""
    lines = [
        '| setting | ' + ' | '.join(f'top-1 {lv}'
                                    for lv in results['levels']) + ' |',
        '|---|' + '---:|' * len(results['levels'])
    ]
    cells = [f'{results["day"]:.2f}'] * len(results['levels'])
    lines.append('| day crops (no darkening) | ' + ' | '.join(cells) + ' |')
    for key, name in (('night', 'no enhancer'), ('gem+pam', 'GEM + PAM')):
        cells = [f'{v[key]:.2f}' for v in results['levels'].values()]
        lines.append(f'| {name} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'
