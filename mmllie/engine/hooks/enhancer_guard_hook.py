"""Report whether training made the recognizer better off."""
import copy
import os
import os.path as osp
from typing import Optional

import torch
from mmengine.dist import is_main_process
from mmengine.hooks import Hook

from mmllie.apis.enhancer_guard import (compare_enhancer_states,
                                        write_guard_report)
from mmllie.models.finder import get_enhancer, get_enhancer_wrapper
from mmllie.registry import HOOKS
from mmllie.utils.safe_load import safe_torch_load

START_FILE = 'enhancer_start.pth'

#: Dataset keys that do not change which images a split holds.
_NOT_SPLIT = ('pipeline', 'test_mode', 'serialize_data', 'lazy_init',
              'max_refetch')


def _split(loader_cfg) -> Optional[dict]:
    dataset = (loader_cfg or {}).get('dataset') if isinstance(
        loader_cfg, dict) else None
    if not isinstance(dataset, dict):
        return None
    return {k: v for k, v in dataset.items() if k not in _NOT_SPLIT}


@HOOKS.register_module()
class EnhancerGuardHook(Hook):
    """At the end of training: no enhancer vs. start vs. trained enhancer,
    and the run keeps the better enhancer.

    ``custom_hooks = [dict(type='mmllie.EnhancerGuardHook')]`` evaluates the
    validation loop (dataloader and evaluator of ``val_cfg``, no other hook
    is called) three times after the last iteration: with the wrapper as a
    pass-through (no enhancer), with the enhancer's starting state and with
    the trained enhancer. The three means and, per image, on how many
    images each state is better / worse than the others are logged and
    written to ``<work_dir>/enhancer_guard.json``
    (:func:`~mmllie.apis.enhancer_guard.write_guard_report`); a WARNING is
    logged when the trained enhancer is worse than no enhancer.

    When the trained enhancer is worse than its starting state or than no
    enhancer on the validation set, the run keeps the better of those two
    (:func:`choose_state`): the final checkpoint (the one
    ``last_checkpoint`` names, which a user tests and exports) is written
    again with the starting enhancer, or with the enhancer switched off
    (``GlobalPixelwiseEnhancer.set_enhancer_off``: the checkpoint then
    tests, infers and deploys as the recognizer alone, and
    ``export_enhancer`` refuses it); its ``meta['enhancer_guard']`` says
    which, the trained one is kept beside it as ``<name>_trained.pth``, and
    a WARNING says so. Selection never looks at the test split: when
    the validation dataset is the test dataset, the guard reports and keeps
    the trained enhancer, saying why.

    The starting state is saved to ``<work_dir>/enhancer_start.pth`` before
    the first iteration (a resumed run reuses it); ``tools/test.py --guard``
    reads it too.

    Args:
        metric (str, optional): Metric key to compare, e.g. ``'mIoU'``.
            Defaults to the first of ``mIoU``, ``coco/AP``,
            ``accuracy/top1``, ``coco/bbox_mAP`` the evaluator returns.
        keep_better (bool): Keep the starting state or no enhancer when the
            trained enhancer is worse (above). Defaults to True.
    """

    priority = 'LOW'

    def __init__(self,
                 metric: Optional[str] = None,
                 keep_better: bool = True) -> None:
        self.metric = metric
        self.keep_better = keep_better
        self.start_state: Optional[dict] = None
        self.report: Optional[dict] = None

    def before_train(self, runner) -> None:
        path = osp.join(runner.work_dir, START_FILE)
        if runner._resume and osp.isfile(path):  # keep the first start
            self.start_state = safe_torch_load(path, map_location='cpu')
            return
        enhancer = get_enhancer(runner.model)
        self.start_state = copy.deepcopy({
            k: v.detach().cpu()
            for k, v in enhancer.state_dict().items()
        })
        if is_main_process():
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
        self.report = write_guard_report(results, runner.work_dir, self.metric)
        values = self.report['values']
        keep = choose_state(values)
        if keep == 'trained':
            return
        key = self.report['metric']
        why_not = self._why_not_select(runner)
        if why_not:
            runner.logger.warning(
                f'EnhancerGuard: {_worse(keep, key, values)}, but the run '
                f'keeps the trained enhancer: {why_not}.')
            return
        self._keep(runner, keep, key, values)

    def _why_not_select(self, runner) -> Optional[str]:
        if not self.keep_better:
            return 'keep_better=False'
        cfg = getattr(runner, 'cfg', None) or {}
        val, test = _split(cfg.get('val_dataloader')), _split(
            cfg.get('test_dataloader'))
        if val is not None and val == test:
            return ('the validation dataset is the test dataset, and a '
                    'choice made on the test split would flatter it (give '
                    'val_dataloader images of its own)')
        return None

    def _keep(self, runner, keep: str, key: str, values: dict) -> None:
        """Write the final checkpoint again with the starting enhancer, or
        with the enhancer switched off (``keep='no enhancer'``)."""
        by_epoch = type(runner.train_loop).__name__.startswith('Epoch')
        name = (f'epoch_{runner.epoch}.pth'
                if by_epoch else f'iter_{runner.iter}.pth')
        final = osp.join(runner.work_dir, name)
        trained = osp.splitext(final)[0] + '_trained.pth'
        if is_main_process() and osp.isfile(final):
            os.replace(final, trained)
        get_enhancer(runner.model).load_state_dict(self.start_state)
        if keep == 'no enhancer':
            get_enhancer_wrapper(runner.model).set_enhancer_off(True)
        guard = dict(
            kept=keep, metric=key, values=values, trained_checkpoint=trained)
        runner.save_checkpoint(
            runner.work_dir,
            name,
            meta=dict(
                epoch=runner.epoch, iter=runner.iter, enhancer_guard=guard),
            by_epoch=by_epoch)
        if is_main_process():
            with open(osp.join(runner.work_dir, 'last_checkpoint'), 'w') as f:
                f.write(final)
        runner.logger.warning(
            f'EnhancerGuard: {_worse(keep, key, values)}; the run keeps '
            f'{_KEPT[keep]}: {final} now holds it, the trained enhancer is '
            f'kept as {trained}.')


#: How the guard's warning names each kept state.
_KEPT = {
    'starting state': 'the starting state',
    'no enhancer': 'no enhancer (the recognizer alone; enhancer_off is set)',
}


def choose_state(values: dict) -> str:
    """The state a run keeps: ``'trained'`` unless it scores below the
    starting state or no enhancer; then the better of those two (the
    starting state on a tie).

    Args:
        values (dict): The guard's mean metric per state (``'no
            enhancer'``, ``'starting state'``, ``'trained'``).
    """
    trained, start, none = (values['trained'], values['starting state'],
                            values['no enhancer'])
    if trained >= start and trained >= none:
        return 'trained'
    return 'starting state' if start >= none else 'no enhancer'


def _worse(keep: str, key: str, values: dict) -> str:
    than = 'its starting state' if keep == 'starting state' else keep
    return (f'the trained enhancer is worse than {than} on validation {key} '
            f'({values["trained"]:.4f} < {values[keep]:.4f})')
