"""The frozen-recognizer guarantee as one config line."""
from typing import Optional, Sequence

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapper, OptimWrapperDict
from torch.nn.parallel import DistributedDataParallel

from mmllie.models.frozen import (freeze_recognizer, get_enhancer,
                                  set_recognizer_eval)
from mmllie.models.wrappers import EnhancerDistributedDataParallel
from mmllie.registry import HOOKS


@HOOKS.register_module()
class FreezeRecognizerHook(Hook):
    """Keep the recognizer frozen while the enhancer trains.

    ``custom_hooks = [dict(type='mmllie.FreezeRecognizerHook')]`` makes sure,
    whatever the host config says (``frozen_stages``, ``norm_eval``):

    * every recognizer parameter has ``requires_grad=False``;
    * the optimizer holds enhancer parameters only (others are removed from
      its param groups before any checkpoint is resumed);
    * every norm and dropout layer of the recognizer stays in eval mode,
      although MMEngine's loops call ``model.train()`` each epoch/iteration;
    * the log states the trainable and frozen parameter counts.

    For distributed training add ``model_wrapper_cfg=dict(type=
    'mmllie.EnhancerDistributedDataParallel')`` so the recognizer is frozen
    before DDP registers its parameters; this hook refuses to run with a
    DDP that was built around the unfrozen recognizer.
    """

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        model = runner.model
        trainable, frozen = freeze_recognizer(model)
        runner.logger.info(
            f'FreezeRecognizerHook: {trainable:,} trainable enhancer '
            f'parameters ({type(get_enhancer(model)).__name__}), '
            f'{frozen:,} frozen recognizer parameters.')
        if is_model_wrapper(model) and isinstance(model,
                                                  DistributedDataParallel):
            self._check_ddp(model)
        self._prune_optimizer(runner, model)
        set_recognizer_eval(model)

    @staticmethod
    def _check_ddp(model: DistributedDataParallel) -> None:
        # DDP registers the parameters that require grad when it is built
        # (its `_module_parameters` lists all of them, frozen or not); only
        # this wrapper freezes the recognizer before that.
        if not isinstance(model, EnhancerDistributedDataParallel):
            raise RuntimeError(
                'FreezeRecognizerHook: DDP was built around the unfrozen '
                'recognizer, so it would wait for gradients that never come. '
                "Set model_wrapper_cfg=dict(type='mmllie."
                "EnhancerDistributedDataParallel') in the config.")

    @staticmethod
    def _prune_optimizer(runner, model) -> None:
        # a test-only run has no built optimizer (only its config)
        optim_wrapper = getattr(runner, 'optim_wrapper', None)
        optimizers = []
        if isinstance(optim_wrapper, OptimWrapper):
            optimizers = [optim_wrapper.optimizer]
        elif isinstance(optim_wrapper, OptimWrapperDict):
            optimizers = [
                w.optimizer for w in optim_wrapper.optim_wrappers.values()
            ]
        keep = {id(p) for p in get_enhancer(model).parameters()}
        for optimizer in optimizers:
            for group in optimizer.param_groups:
                group['params'] = [p for p in group['params'] if id(p) in keep]

    def before_train(self, runner) -> None:
        set_recognizer_eval(runner.model)

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch: Optional[Sequence[dict]] = None) -> None:
        set_recognizer_eval(runner.model)
