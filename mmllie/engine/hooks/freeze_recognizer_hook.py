"""The frozen-recognizer guarantee as one config line."""
from typing import Optional, Sequence

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapper, OptimWrapperDict
from torch.nn.parallel import DistributedDataParallel

from mmllie.checkpoint.literal_cfg import (WRAPPER, enhancer_cfg_from_dict,
                                           is_plain)
from mmllie.checkpoint.resume import check_load_from
from mmllie.checkpoint.stored_cfg import embed_pretrained
from mmllie.models.finder import get_enhancer, get_enhancer_wrapper
from mmllie.models.frozen import (check_training_allowed, freeze_recognizer,
                                  mark_joint_training, mark_recognizer_frozen,
                                  set_recognizer_eval)
from mmllie.models.host_pairing import check_host_pairing
from mmllie.models.recognizer_weights import (describe_mismatch,
                                              recognizer_keys,
                                              recognizer_mismatch)
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

    Before training it also refuses:

    * a host data preprocessor from another library than the recognizer;
    * a recognizer whose weights come neither from ``load_from`` (every
      recognizer key present, none unexpected, same shapes) nor from its
      own ``init_cfg`` (``Pretrained``), naming how many keys are missing /
      unexpected; ``partial_load=True`` (``tools/train.py --partial-load``)
      trains anyway, with a warning.

    With ``model.data_preprocessor.train_recognizer=True`` (joint training,
    on purpose) it freezes nothing and logs one WARNING naming how many
    recognizer parameters will train.

    ``mmllie.GlobalPixelwiseEnhancer`` refuses to train without this hook
    (``tools/train.py`` adds it when a config dropped it), and a model with
    ``enhancer=None`` refuses to train; test runs of such a model are fine.

    For distributed training add ``model_wrapper_cfg=dict(type=
    'mmllie.EnhancerDistributedDataParallel')`` so the recognizer is frozen
    before DDP registers its parameters; this hook refuses to run with a
    DDP that was built around the unfrozen recognizer.

    Args:
        partial_load (bool): Train although the recognizer's weights are
            not all loaded (see above). Defaults to False.
    """

    priority = 'VERY_HIGH'

    def __init__(self, partial_load: bool = False) -> None:
        self.partial_load = partial_load
        self.has_enhancer = True
        self.joint = False
        #: (state_dict, source) of the checkpoint loaded, if any
        self._loaded = None

    def before_run(self, runner) -> None:
        # name a load_from that is no checkpoint before MMEngine trips on it
        check_load_from(getattr(runner, '_load_from', None))
        model = runner.model
        check_host_pairing(model)
        try:
            get_enhancer(model)
        except TypeError:  # e.g. enhancer=None: fine to test, not to train
            self.has_enhancer = False
            runner.logger.info('FreezeRecognizerHook: the model has no '
                               'mmllie enhancer; nothing to freeze.')
            return
        self.has_enhancer = True
        if getattr(get_enhancer_wrapper(model), 'train_recognizer', False):
            self._joint_training(runner, model)
            return
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

    def _joint_training(self, runner, model) -> None:
        """``train_recognizer=True``: say loudly what trains; freeze
        nothing."""
        self.joint = True
        enhancer = get_enhancer(model)
        mine = {id(p) for p in enhancer.parameters()}
        others = [
            p for p in _unwrap(model).parameters()
            if id(p) not in mine and p.requires_grad
        ]
        runner.logger.warning(
            'FreezeRecognizerHook: model.data_preprocessor.train_recognizer='
            f'True: {sum(p.numel() for p in others):,} recognizer '
            f'parameters ({len(others)} tensors) will be TRAINED together '
            f'with the enhancer ({type(enhancer).__name__}); the recognizer '
            'is not frozen and its norm layers train.')
        mark_joint_training(model)

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Continue the random streams; refuse a ``load_from`` that does
        not hold the recognizer's weights (before they are loaded)."""
        states = checkpoint.get(RNG_KEY) or {}
        unknown = restore_rng_states(_unwrap(runner.model), states)
        if unknown:
            runner.logger.warning(
                'FreezeRecognizerHook: the checkpoint holds the random state '
                f'of {unknown}, which this model does not have; ignored.')
        # checked in before_train (a test run may load what it likes)
        self._loaded = (checkpoint.get('state_dict', checkpoint),
                        f'load_from={runner._load_from!r}')

    def _check_recognizer_weights(self, runner, state: Optional[dict],
                                  source: str) -> None:
        if not self.has_enhancer or self.joint:
            return
        try:
            enhancer = get_enhancer(runner.model)
        except TypeError:
            return
        bad = recognizer_mismatch(runner.model, enhancer, state)
        if not any(bad.values()):
            return
        total = len(recognizer_keys(runner.model, enhancer))
        what = (f'{source} does not fit the recognizer '
                f'({type(_unwrap(runner.model)).__name__}): '
                f'{describe_mismatch(bad)} of its {total} weight tensors'
                if state is not None else
                f'no load_from and no init_cfg of type Pretrained: all '
                f'{total} recognizer weight tensors would be random')
        if self.partial_load:
            runner.logger.warning(f'FreezeRecognizerHook: {what}; '
                                  'partial_load=True: training anyway.')
            return
        raise RuntimeError(
            f'FreezeRecognizerHook: {what}. The enhancer would be trained in '
            'front of a recognizer that is not the one you mean to use. Set '
            'load_from to the recognizer\'s checkpoint (or an init_cfg of '
            "type 'Pretrained'); to train anyway, pass --partial-load to "
            "tools/train.py (FreezeRecognizerHook(partial_load=True)).")

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
        if not self.has_enhancer:
            check_training_allowed(None)  # raises: nothing to train
        # no load_from: the weights come from init_cfg, or are random
        self._check_recognizer_weights(runner,
                                       *(self._loaded or (None, 'init_cfg')))
        if not self.joint:
            set_recognizer_eval(runner.model)

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch: Optional[Sequence[dict]] = None) -> None:
        if not self.joint:
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

    @staticmethod
    def _enhancer_cfg(model) -> Optional[dict]:
        """The config of the enhancer, as its wrapper was given it, each
        ``PretrainedEnhancer`` stored as an ``EmbeddedEnhancer``."""
        cfg = getattr(get_enhancer_wrapper(model), 'enhancer_cfg', None)
        return embed_pretrained(
            enhancer_cfg_from_dict(dict(type=WRAPPER, enhancer=cfg)))
