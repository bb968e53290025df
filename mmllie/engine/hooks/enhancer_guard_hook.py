"""Report whether training made the recognizer better off (issue #16)."""
import copy
import os.path as osp
from typing import Optional

import torch
from mmengine.hooks import Hook

from mmllie.apis.enhancer_guard import (compare_enhancer_states,
                                        write_guard_report)
from mmllie.models.frozen import get_enhancer
from mmllie.registry import HOOKS

START_FILE = 'enhancer_start.pth'


@HOOKS.register_module()
class EnhancerGuardHook(Hook):
    """At the end of training: no enhancer vs. start vs. trained enhancer.

    ``custom_hooks = [dict(type='mmllie.EnhancerGuardHook')]`` evaluates the
    validation loop (dataloader and evaluator of ``val_cfg``, no other hook
    is called) three times after the last iteration: with the wrapper as a
    pass-through (no enhancer), with the enhancer's starting state and with
    the trained enhancer. The three values are logged side by side and
    written to ``<work_dir>/enhancer_guard.json``; a WARNING is logged when
    the trained enhancer is worse than no enhancer. The starting state is
    saved to ``<work_dir>/enhancer_start.pth`` before the first iteration
    (a resumed run reuses it); ``tools/test.py --guard`` reads it too.

    Args:
        metric (str, optional): Metric key to compare, e.g. ``'mIoU'``.
            Defaults to the first of ``mIoU``, ``coco/AP``,
            ``accuracy/top1``, ``coco/bbox_mAP`` the evaluator returns.
    """

    priority = 'LOW'

    def __init__(self, metric: Optional[str] = None) -> None:
        self.metric = metric
        self.start_state: Optional[dict] = None

    def before_train(self, runner) -> None:
        path = osp.join(runner.work_dir, START_FILE)
        if runner._resume and osp.isfile(path):  # keep the first start
            self.start_state = torch.load(path, map_location='cpu')
            return
        enhancer = get_enhancer(runner.model)
        self.start_state = copy.deepcopy({
            k: v.detach().cpu()
            for k, v in enhancer.state_dict().items()
        })
        torch.save(self.start_state, path)

    def after_train(self, runner) -> None:
        loop = runner.val_loop
        if loop is None or self.start_state is None:
            runner.logger.warning(
                'EnhancerGuardHook: no validation loop (val_dataloader, '
                'val_evaluator, val_cfg); nothing to compare.')
            return
        results = compare_enhancer_states(runner.model, loop.dataloader,
                                          loop.evaluator, self.start_state)
        write_guard_report(results, runner.work_dir, self.metric)
