"""One GEM + PAM row in front of a shipped, frozen day recognizer.

The classification and detection rows of the embedded benchmark share it:
score the day recognizer on day data, train GEM + PAM by its loss on one
darkness level, then score no enhancer and GEM + PAM at every level. Every
number is measured in the run that returns it.
"""
import os.path as osp
from typing import Callable, Dict, Sequence

from mmengine.config import Config
from mmengine.runner import Runner

from .bench_cfg import benchmark_cfg
from .common import md_row


def score(cfg: Config,
          data_root: str,
          checkpoint: str,
          metric: str,
          scale: float = 1.) -> float:
    """``metric`` (times ``scale``) of ``checkpoint`` on ``data_root``'s
    test split, from the host's own evaluator in ``cfg``."""
    cfg = cfg.copy()
    cfg.test_dataloader.dataset.data_root = data_root
    cfg.load_from = checkpoint
    return scale * float(Runner.from_cfg(cfg).test()[metric])


def run_single_row(work_dir: str,
                   day_cfg: str,
                   enh_cfg: str,
                   roots: Dict[str, str],
                   recognizer: str,
                   metric: str,
                   level: str,
                   levels: Sequence[str],
                   iters: int,
                   seed: int,
                   log: Callable[[str], None],
                   scale: float = 1.) -> dict:
    """Day, no-enhancer and GEM + PAM scores per level.

    Args:
        work_dir (str): Output directory.
        day_cfg (str): ``mmllie::`` config of the day recognizer.
        enh_cfg (str): ``mmllie::`` config of GEM + PAM in front of it.
        roots (dict): Data root per split: ``day`` and every level.
        recognizer (str): Day recognizer weights (kept frozen).
        metric (str): Key of the evaluator's result, e.g.
            ``'accuracy/top1'``.
        level (str): Darkness GEM + PAM trains on.
        levels (Sequence[str]): Levels evaluated (``level`` first).
        iters (int): Enhancer training iterations.
        seed (int): Enhancer training seed.
        log (Callable): Progress logger.
        scale (float): Factor to percent (100 for a metric in [0, 1]).

    Returns:
        dict: ``day``, and per level ``night`` / ``gem+pam``, with the run's
        ``level``, ``iters`` and ``seed``.
    """
    day = benchmark_cfg(day_cfg, osp.join(work_dir, 'eval'), roots['day'])
    log('evaluating the frozen day recognizer')
    results = dict(
        day=score(day, roots['day'], recognizer, metric, scale), levels={})
    log(f'training GEM + PAM on {level} ({iters} iterations)')
    enh_dir = osp.join(work_dir, f'gem+pam_{level}_seed{seed}')
    cfg = benchmark_cfg(
        enh_cfg,
        enh_dir,
        roots[level],
        load_from=recognizer,
        randomness=dict(seed=seed))
    cfg.train_cfg.max_iters = cfg.param_scheduler[0].end = iters
    cfg.train_cfg.val_interval = cfg.default_hooks.checkpoint.interval = iters
    Runner.from_cfg(cfg).train()
    enhanced = osp.join(enh_dir, f'iter_{iters}.pth')
    for lv in levels:
        results['levels'][lv] = {
            'night': score(day, roots[lv], recognizer, metric, scale),
            'gem+pam': score(cfg, roots[lv], enhanced, metric, scale)
        }
    results.update(level=level, iters=iters, seed=seed)
    return results


def results_table(results: dict, metric: str, day_row: str) -> str:
    """A markdown table of :func:`run_single_row`'s output.

    Args:
        results (dict): What :func:`run_single_row` returned.
        metric (str): Column name prefix, e.g. ``'top-1'``.
        day_row (str): Name of the day row, e.g. ``'day crops'``.
    """
    levels = results['levels']
    lines = [
        md_row(['setting'] + [f'{metric} {lv}' for lv in levels]),
        '|---|' + '---:|' * len(levels),
        md_row([f'{day_row} (no darkening)'] +
               [f'{results["day"]:.2f}'] * len(levels))
    ]
    for key, name in (('night', 'no enhancer'), ('gem+pam', 'GEM + PAM')):
        lines.append(
            md_row([name] + [f'{v[key]:.2f}' for v in levels.values()]))
    return '\n'.join(lines) + '\n'
