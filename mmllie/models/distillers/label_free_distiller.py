"""Train the enhancer with no labels: day→night self-distillation.

::

    day batch → GlobalPixelwiseEnhancer.enhance_batch(darkening=d, keep_day)
      target = R(day)               (no gradient, raw outputs, mode='tensor')
      pred   = R(E(d(day)))         d: BatchLowLightSynthesis, new per call
      loss   = OutputDistillationLoss(pred, target)   → gradients reach E only

The batch goes through the wrapper's one data path (input and output
checks, each image's valid region on a padding host, ``exposure_augment``,
``channels_last``, ``keep_enhanced``); the distiller adds only the
darkening and the loss.

The wrapped recognizer's sub-modules become the distiller's own, under the
same names, so its ``state_dict`` keys are exactly the recognizer's: the
user's recognizer checkpoint loads with ``load_from``, a distiller
checkpoint tests with the plain enhancer config, ``export_enhancer.py``
and ``mmllie.FreezeRecognizerHook`` find ``data_preprocessor.enhancer``.
"""
from typing import Any, Dict, List, Optional

import torch
from mmengine.model import BaseModel
from mmengine.registry import MODELS as MMENGINE_MODELS

from mmllie.hosts import BaseHost, host_of
from mmllie.models.enhancers.builder import build_enhancer
from mmllie.models.frozen import (freeze_recognizer, mark_recognizer_frozen,
                                  set_recognizer_eval)
from mmllie.models.losses.output_distillation import flatten_outputs
from mmllie.registry import MODELS


@MODELS.register_module()
class LabelFreeDistiller(BaseModel):
    """Wrap a recognizer config to train its enhancer from day images only.

    Args:
        recognizer (dict): The user's model config (mmseg, mmpose,
            mmpretrain, ...) whose ``data_preprocessor`` is
            ``mmllie.GlobalPixelwiseEnhancer`` with an enhancer.
        darkening (dict): The on-the-fly darkening ``d``. Defaults to
            ``mmllie.BatchLowLightSynthesis`` at the ``'full'`` level.
        loss (dict, optional): Loss between raw outputs. Defaults to the
            host adapter's ``distill_loss`` (KL, T=1, on logits; relative
            MSE on mmpose heatmaps).
        data_preprocessor (dict, optional): Ignored (MMEngine's Runner
            passes a config's top-level ``data_preprocessor``): the
            recognizer's own is used.
        init_cfg (dict, optional): Unused; the recognizer's own applies.

    Validation and test delegate to the recognizer: the ordinary enhancer
    + recognizer path and metric.
    """

    def __init__(self,
                 recognizer: dict,
                 darkening: dict = dict(
                     type='mmllie.BatchLowLightSynthesis', level='full'),
                 loss: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        from mmllie.models.data_preprocessors import GlobalPixelwiseEnhancer
        model = MMENGINE_MODELS.build(recognizer)
        pre = getattr(model, 'data_preprocessor', None)
        if not isinstance(pre, GlobalPixelwiseEnhancer) or \
                pre.enhancer is None:
            raise TypeError(
                'LabelFreeDistiller: the recognizer '
                f'{type(model).__name__} needs data_preprocessor=dict('
                "type='mmllie.GlobalPixelwiseEnhancer', host=..., "
                f'enhancer=...), got {type(pre).__name__}.')
        if pre.darkening is not None:
            raise ValueError(
                'LabelFreeDistiller: the recognizer\'s data_preprocessor has '
                'its own darkening; the distiller darkens (its `darkening` '
                'argument): remove model.recognizer.data_preprocessor.'
                'darkening.')
        # Not a sub-module: its children become ours, under their names.
        object.__setattr__(self, '_recognizer', model)
        if next(model.named_parameters(recurse=False), None) is not None or \
                next(model.named_buffers(recurse=False), None) is not None:
            raise TypeError('LabelFreeDistiller: recognizer '
                            f'{type(model).__name__} holds parameters or '
                            'buffers outside its sub-modules.')
        for name, child in model.named_children():
            self.add_module(name, child)
        for name in ('darkening', 'distill_loss'):
            if name in self._modules:
                raise KeyError(f'LabelFreeDistiller: the recognizer has a '
                               f'sub-module named {name!r}.')
        self.darkening = build_enhancer(darkening)
        self.distill_loss = build_enhancer(
            loss or (host_of(model) or BaseHost()).distill_loss)
        # frozen by construction: requires_grad here, eval mode in train()
        freeze_recognizer(self)
        mark_recognizer_frozen(self)

    @property
    def recognizer(self) -> BaseModel:
        """The wrapped recognizer (its modules are this model's)."""
        return self._recognizer

    def init_weights(self) -> None:
        """Initialise as the recognizer would (its own ``init_cfg``)."""
        self._recognizer.init_weights()

    def train(self, mode: bool = True) -> 'LabelFreeDistiller':
        """Train the enhancer only; the recognizer stays in eval mode."""
        super().train(mode)
        self._recognizer.training = mode
        if mode:
            set_recognizer_eval(self)
        return self

    def preprocess_train(self, data: dict) -> dict:
        """The wrapper's data path with the dark twin: ``inputs`` is the
        enhanced dark batch, ``day_inputs`` the host's day batch."""
        return self.data_preprocessor.enhance_batch(
            data, True, darkening=self.darkening, keep_day=True)

    def train_step(self, data: dict, optim_wrapper) -> Dict[str, Any]:
        """One label-free step (no labels are read)."""
        with optim_wrapper.optim_context(self):
            data = self.preprocess_train(data)
            losses = self._run_forward(data, mode='loss')
        parsed, log_vars = self.parse_losses(losses)
        optim_wrapper.update_params(parsed)
        return log_vars

    def val_step(self, data: dict) -> list:
        """The ordinary enhancer + recognizer prediction."""
        return self._recognizer.val_step(data)

    def test_step(self, data: dict) -> list:
        """The ordinary enhancer + recognizer prediction."""
        return self._recognizer.test_step(data)

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[List] = None,
                mode: str = 'tensor',
                day_inputs: Optional[torch.Tensor] = None) -> Any:
        """``'loss'``: distillation loss between the recognizer's raw
        outputs on ``inputs`` (the enhanced dark twin) and on
        ``day_inputs`` (no gradient), both from :meth:`preprocess_train`;
        other modes: the recognizer's."""
        if mode != 'loss':
            return self._recognizer(inputs, data_samples, mode)
        if day_inputs is None:
            raise ValueError(
                "LabelFreeDistiller: mode='loss' needs day_inputs (the "
                'host batch before darkening); use preprocess_train(data) '
                'to make inputs and day_inputs from a data batch.')
        with torch.no_grad():
            target = self.raw_outputs(day_inputs, data_samples)
        pred = self.raw_outputs(inputs, data_samples)
        return dict(loss_distill=self.distill_loss(pred, target))

    def raw_outputs(self, inputs: torch.Tensor,
                    data_samples: Optional[List]) -> Any:
        """The recognizer's ``mode='tensor'`` output, checked."""
        name = type(self._recognizer).__name__
        try:
            out = self._recognizer(inputs, data_samples, mode='tensor')
        except (NotImplementedError, RuntimeError) as e:
            if not isinstance(e, NotImplementedError) and \
                    'mode' not in str(e):
                raise
            raise RuntimeError(
                f'LabelFreeDistiller: recognizer {name} has no raw output '
                f"(forward(..., mode='tensor') failed: {e}); label-free "
                'training compares raw outputs.') from e
        if not flatten_outputs(out):
            raise TypeError(
                f'LabelFreeDistiller: recognizer {name} returned '
                f"{type(out).__name__} for mode='tensor'; expected a tensor "
                'or a tuple / list / dict of tensors.')
        return out
