"""Is the trained enhancer better than no enhancer?

The recognizer's own metric, on the same validation (or test) loop, three
times: with no enhancer (the wrapper as a pass-through), with the
enhancer's starting state and with the trained enhancer. Used by
:class:`mmllie.EnhancerGuardHook` at the end of training and by
``tools/test.py --guard``.
"""
import json
import os.path as osp
from typing import Dict, Optional

import torch
from mmengine.dist import is_main_process
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper

#: Metric keys compared when none is given, in this order.
KNOWN_METRICS = ('mIoU', 'coco/AP', 'accuracy/top1', 'coco/bbox_mAP')
STATES = ('no enhancer', 'starting state', 'trained')
GUARD_FILE = 'enhancer_guard.json'


@torch.no_grad()
def evaluate_loop(model,
                  dataloader,
                  evaluator,
                  test: bool = False) -> Dict[str, float]:
    """Run ``model`` over ``dataloader``; no hooks are called."""
    model.eval()
    for data_batch in dataloader:
        outputs = model.test_step(data_batch) if test else \
            model.val_step(data_batch)
        evaluator.process(data_samples=outputs, data_batch=data_batch)
    return evaluator.evaluate(len(dataloader.dataset))


def pick_metric(metrics: Dict[str, float],
                metric: Optional[str] = None) -> str:
    """``metric`` if given, else the first of :data:`KNOWN_METRICS` found
    (any ``<prefix>/`` of it), else the first key."""
    if metric is not None:
        if metric not in metrics:
            raise KeyError(f'EnhancerGuard: metric {metric!r} is not among '
                           f'the evaluator results {sorted(metrics)}.')
        return metric
    for known in KNOWN_METRICS:
        for key in metrics:
            if key == known or key.endswith('/' + known):
                return key
    return next(iter(metrics))


def compare_enhancer_states(model,
                            dataloader,
                            evaluator,
                            start_state: dict,
                            trained: Optional[Dict[str, float]] = None,
                            test: bool = False) -> Dict[str, dict]:
    """Metrics of no enhancer / the starting state / the trained enhancer.

    Args:
        model: The recognizer with ``GlobalPixelwiseEnhancer`` (or a
            wrapper around it).
        start_state (dict): The enhancer's ``state_dict`` before training.
        trained (dict, optional): The trained enhancer's metrics if known
            (e.g. from ``runner.test()``); evaluated otherwise.
        test (bool): Use ``test_step`` instead of ``val_step``.

    Returns:
        dict: state name -> metrics. The model ends in its trained state.
    """
    module = model.module if is_model_wrapper(model) else model
    pre = module.data_preprocessor
    enhancer = pre.enhancer
    final = {k: v.detach().clone() for k, v in enhancer.state_dict().items()}
    results = {}
    try:
        pre.enhancer = None
        results[STATES[0]] = evaluate_loop(model, dataloader, evaluator, test)
        pre.enhancer = enhancer
        enhancer.load_state_dict(start_state)
        results[STATES[1]] = evaluate_loop(model, dataloader, evaluator, test)
    finally:
        pre.enhancer = enhancer
        enhancer.load_state_dict(final)
    results[STATES[2]] = trained if trained is not None else evaluate_loop(
        model, dataloader, evaluator, test)
    return results


def write_guard_report(results: Dict[str, dict],
                       work_dir: str,
                       metric: Optional[str] = None,
                       logger: str = 'current') -> dict:
    """Log the three states side by side, warn, write the JSON file.

    Returns:
        dict: What ``<work_dir>/enhancer_guard.json`` holds; ``worse`` is
        True when the trained enhancer is below no enhancer.
    """
    key = pick_metric(results[STATES[2]], metric)
    values = {state: float(results[state][key]) for state in STATES}
    worse = values['trained'] < values['no enhancer']
    report = dict(
        metric=key,
        values=values,
        worse_than_no_enhancer=worse,
        metrics={
            s: {
                k: float(v)
                for k, v in m.items()
            }
            for s, m in results.items()
        })
    table = '  '.join(f'{s}: {v:.4f}' for s, v in values.items())
    print_log(f'EnhancerGuard ({key}): {table}', logger=logger)
    if worse:
        print_log(
            f'EnhancerGuard WARNING: the trained enhancer is WORSE than no '
            f'enhancer on {key} ({values["trained"]:.4f} < '
            f'{values["no enhancer"]:.4f}). Deliver the recognizer without '
            'it, or train on more (or more varied) images; a checkpoint '
            'selected on validation (CheckpointHook save_best) may help.',
            logger=logger,
            level=30)
    if is_main_process():
        with open(osp.join(work_dir, GUARD_FILE), 'w') as f:
            json.dump(report, f, indent=2)
    return report
