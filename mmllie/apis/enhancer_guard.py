"""Is the trained enhancer better than no enhancer?

The recognizer's own metric, on the same validation (or test) loop, three
times: with no enhancer (the wrapper as a pass-through), with the
enhancer's starting state and with the trained enhancer. Used by
:class:`mmllie.EnhancerGuardHook` at the end of training and by
``tools/test.py --guard``.
"""
import json
import logging
import os.path as osp
from typing import Dict, List, Optional, Tuple

import torch
from mmengine.dist import all_gather_object, get_world_size, is_main_process
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper

from mmllie.evaluation.per_image_score import image_score

#: Metric keys compared when none is given, in this order.
KNOWN_METRICS = ('mIoU', 'coco/AP', 'accuracy/top1', 'coco/bbox_mAP')
STATES = ('no enhancer', 'starting state', 'trained')
GUARD_FILE = 'enhancer_guard.json'


def _scoring(dataloader, evaluator) -> dict:
    """``image_score`` arguments for this dataset and evaluator."""
    classes = getattr(dataloader.dataset, 'metainfo', {}).get('classes')
    ignore = [
        m.ignore_index for m in getattr(evaluator, 'metrics', [])
        if hasattr(m, 'ignore_index')
    ]
    return dict(
        num_classes=len(classes) if classes else None,
        ignore_index=ignore[0] if ignore else 255)


@torch.no_grad()
def evaluate_loop(model,
                  dataloader,
                  evaluator,
                  test: bool = False) -> Tuple[Dict[str, float], List[dict]]:
    """Run ``model`` over ``dataloader``; no hooks are called.

    Returns:
        tuple: The evaluator's metrics, and per image ``dict(img_path=...,
        score=...)`` (:func:`~mmllie.evaluation.per_image_score.
        image_score`; empty for tasks without a per-image score).
    """
    model.eval()
    scoring = _scoring(dataloader, evaluator)
    per_image = []
    for data_batch in dataloader:
        outputs = model.test_step(data_batch) if test else \
            model.val_step(data_batch)
        for i, sample in enumerate(outputs):
            score = image_score(sample, **scoring)
            if score is not None:
                path = sample.metainfo.get('img_path') if hasattr(
                    sample, 'metainfo') else None
                per_image.append(
                    dict(
                        img_path=path or f'image {len(per_image)}',
                        score=score))
        evaluator.process(data_samples=outputs, data_batch=data_batch)
    if get_world_size() > 1:  # every rank's images (a padded sampler
        # repeats some: each image once)
        merged = {}
        for part in all_gather_object(per_image):
            merged.update({r['img_path']: r for r in part})
        per_image = list(merged.values())
    return evaluator.evaluate(len(dataloader.dataset)), per_image


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
                            test: bool = False) -> Dict[str, dict]:
    """Metrics of no enhancer / the starting state / the trained enhancer.

    Args:
        model: The recognizer with ``GlobalPixelwiseEnhancer`` (or a
            wrapper around it).
        start_state (dict): The enhancer's ``state_dict`` before training.
        test (bool): Use ``test_step`` instead of ``val_step``.

    Returns:
        dict: ``metrics`` and ``per_image``, each state name -> its
        evaluator metrics / per-image scores. The model ends in its
        trained state (and switched off again if it was).
    """
    module = model.module if is_model_wrapper(model) else model
    pre = module.data_preprocessor
    enhancer = pre.enhancer
    final = {k: v.detach().clone() for k, v in enhancer.state_dict().items()}
    off = bool(pre.enhancer_off)
    pre.set_enhancer_off(False)  # a run that kept no enhancer: its states
    results = dict(metrics={}, per_image={})

    def run(state: str) -> None:
        metrics, per_image = evaluate_loop(model, dataloader, evaluator, test)
        results['metrics'][state] = metrics
        results['per_image'][state] = per_image

    try:
        pre.enhancer = None
        run(STATES[0])
        pre.enhancer = enhancer
        enhancer.load_state_dict(start_state)
        run(STATES[1])
        enhancer.load_state_dict(final)
        run(STATES[2])
    finally:
        pre.enhancer = enhancer
        enhancer.load_state_dict(final)
        pre.set_enhancer_off(off)
    return results


#: Per-image comparisons of the report: (state, reference state).
PAIRS = (('trained', 'no enhancer'), ('trained', 'starting state'),
         ('starting state', 'no enhancer'))


def per_image_counts(per_image: Dict[str, List[dict]]) -> Dict[str, dict]:
    """For each of :data:`PAIRS`: on how many images the first state scores
    above (``better``) and below (``worse``) the second."""
    if not all(per_image.get(s) for s in STATES):
        return {}
    from mmllie.evaluation.per_image_iou import count_worse
    return {
        f'{a} vs {b}': count_worse(per_image[a], per_image[b], key='score')
        for a, b in PAIRS
    }


def write_guard_report(results: Dict[str, dict],
                       work_dir: str,
                       metric: Optional[str] = None,
                       logger: str = 'current') -> dict:
    """Log the three states side by side (means and per image), warn, and
    write the JSON file.

    Args:
        results (dict): :func:`compare_enhancer_states`'s result.

    Returns:
        dict: What ``<work_dir>/enhancer_guard.json`` holds: ``metric``,
        ``values`` (mean per state), ``worse_than_no_enhancer``,
        ``worse_than_start``, ``per_image`` (``counts``: better / worse /
        total images per pair of states; ``scores``: each image's score
        per state) and every metric of every state.
    """
    metrics = results['metrics']
    key = pick_metric(metrics[STATES[2]], metric)
    values = {state: float(metrics[state][key]) for state in STATES}
    worse = values['trained'] < values['no enhancer']
    counts = per_image_counts(results.get('per_image', {}))
    report = dict(
        metric=key,
        values=values,
        worse_than_no_enhancer=worse,
        worse_than_start=values['trained'] < values['starting state'],
        per_image=dict(counts=counts, scores=results.get('per_image', {})),
        metrics={
            s: {
                k: float(v)
                for k, v in m.items()
            }
            for s, m in metrics.items()
        })
    table = '  '.join(f'{s}: {v:.4f}' for s, v in values.items())
    print_log(f'EnhancerGuard ({key}): {table}', logger=logger)
    if counts:
        print_log(
            'EnhancerGuard per image: ' +
            '; '.join(f'{pair}: {c["better"]} better, {c["worse"]} worse of '
                      f'{c["total"]}' for pair, c in counts.items()),
            logger=logger)
    else:
        print_log(
            'EnhancerGuard per image: no per-image score for this task '
            '(segmentation and classification have one); means only.',
            logger=logger)
    if worse:
        print_log(
            f'EnhancerGuard WARNING: the trained enhancer is WORSE than no '
            f'enhancer on {key} ({values["trained"]:.4f} < '
            f'{values["no enhancer"]:.4f}). Deliver the recognizer without '
            'it, or train on more (or more varied) images.',
            logger=logger,
            level=logging.WARNING)
    if is_main_process():
        with open(osp.join(work_dir, GUARD_FILE), 'w') as f:
            json.dump(report, f, indent=2)
    return report
