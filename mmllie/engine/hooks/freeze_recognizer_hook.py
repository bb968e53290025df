"""The frozen-recognizer guarantee as one config line."""
from typing import Optional, Sequence

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapper, OptimWrapperDict
from torch.nn.parallel import DistributedDataParallel

from mmllie.checkpoint.literal_cfg import (WRAPPER, enhancer_cfg_from_dict,
                                           is_plain)
from mmllie.checkpoint.resume import check_load_from
from mmllie.models.finder import get_enhancer, get_enhancer_wrapper
from mmllie.models.frozen import (check_training_allowed, freeze_recognizer,
                                  mark_recognizer_frozen, set_recognizer_eval)
from mmllie.models.wrappers import EnhancerDistributedDataParallel
from mmllie.registry import HOOKS
from mmllie.utils.finite import nonfinite
from mmllie.utils.rng import RNG_KEY, collect_rng_states, restore_rng_states


def _unwrap(model):
    return model.module if is_model_wrapper(model) else model


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
    * the log states the trainable and frozen parameter counts;
    * training stops with an error naming the iteration at the first
      non-finite loss or enhancer weight, before any checkpoint of it is
      written, and no checkpoint holding NaN / Inf is ever saved;
    * checkpoints carry the enhancer config as plain data
      (``meta['enhancer_cfg']``), read without executing anything;
    * checkpoints carry the state of the model's own random streams
      (on-the-fly darkening, exposure augmentation), so ``--resume``
      continues bit-identically.

    ``mmllie.GlobalPixelwiseEnhancer`` refuses to train without this hook
    (``tools/train.py`` adds it when a config dropped it), and a model with
    ``enhancer=None`` refuses to train; test runs of such a model are fine.

    For distributed training add ``model_wrapper_cfg=dict(type=
    'mmllie.EnhancerDistributedDataParallel')`` so the recognizer is frozen
    before DDP registers its parameters; this hook refuses to run with a
    DDP that was built around the unfrozen recognizer.
    """

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        # name a load_from that is no checkpoint before MMEngine trips on it
        check_load_from(getattr(runner, '_load_from', None))
        model = runner.model
        try:
            get_enhancer(model)
        except TypeError:  # e.g. enhancer=None: fine to test, not to train
            self.has_enhancer = False
            runner.logger.info('FreezeRecognizerHook: the model has no '
                               'mmllie enhancer; nothing to freeze.')
            return
        self.has_enhancer = True
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
        mark_recognizer_frozen(model)

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
        if not getattr(self, 'has_enhancer', True):
            check_training_allowed(None)  # raises: nothing to train
        set_recognizer_eval(runner.model)

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch: Optional[Sequence[dict]] = None) -> None:
        set_recognizer_eval(runner.model)

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch: Optional[Sequence[dict]] = None,
                         outputs: Optional[dict] = None) -> None:
        """Stop at a non-finite loss or weight (before CheckpointHook)."""
        bad = nonfinite((outputs or {}).items())
        bad += nonfinite(get_enhancer(runner.model).state_dict().items())
        if bad:
            raise FloatingPointError(
                f'Training stopped at iteration {runner.iter + 1}: '
                f'{", ".join(bad[:5])} not finite (NaN or Inf); lower the '
                'learning rate or clip gradients (optim_wrapper.clip_grad). '
                'No checkpoint of this or any later iteration is written.')

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Refuse non-finite weights; store the enhancer config as data."""
        bad = nonfinite(checkpoint.get('state_dict', {}).items())
        if bad:
            raise FloatingPointError(
                'Not saving a checkpoint: '
                f'{len(bad)} tensors hold NaN or Inf ({bad[:3]}).')
        enhancer_cfg = self._enhancer_cfg(runner.model)
        if isinstance(enhancer_cfg, dict) and is_plain(enhancer_cfg):
            checkpoint.setdefault('meta', {})['enhancer_cfg'] = enhancer_cfg
        states = collect_rng_states(_unwrap(runner.model))
        if states:
            checkpoint[RNG_KEY] = states

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Continue the random streams of the model's modules (on-the-fly
        darkening, exposure augmentation) where the checkpoint left them."""
        states = checkpoint.get(RNG_KEY) or {}
        unknown = restore_rng_states(_unwrap(runner.model), states)
        if unknown:
            runner.logger.warning(
                'FreezeRecognizerHook: the checkpoint holds the random state '
                f'of {unknown}, which this model does not have; ignored.')

    @staticmethod
    def _enhancer_cfg(model) -> Optional[dict]:
        """The config of the enhancer, as its wrapper was given it."""
        cfg = getattr(get_enhancer_wrapper(model), 'enhancer_cfg', None)
        return enhancer_cfg_from_dict(dict(type=WRAPPER, enhancer=cfg))
