"""Train the enhancer with no labels: day→night self-distillation.

::

    day batch → host preprocessing (no enhancer) → x ∈ [0, 1] RGB
      target = R(x)                 (no gradient, raw outputs, mode='tensor')
      pred   = R(E(d(x)))           d: BatchLowLightSynthesis, new per call
      loss   = OutputDistillationLoss(pred, target)   → gradients reach E only

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

from mmllie.models.frozen import freeze_recognizer, set_recognizer_eval
from mmllie.models.losses.output_distillation import flatten_outputs
from mmllie.registry import MODELS


def _build_mmllie(cfg: dict) -> torch.nn.Module:
    """Build an mmllie module; bare names resolve from any default scope."""
    cfg = dict(cfg)
    name = cfg.get('type')
    if isinstance(name, str) and '.' not in name and \
            name in MODELS.module_dict:
        cfg['type'] = f'mmllie.{name}'
    return MODELS.build(cfg)


def default_loss(recognizer: torch.nn.Module) -> dict:
    """KL on class logits; MSE for an mmpose model (heatmap regression)."""
    if type(recognizer).__module__.startswith('mmpose.'):
        return dict(type='mmllie.OutputDistillationLoss', kind='mse')
    return dict(type='mmllie.OutputDistillationLoss', kind='kl')


@MODELS.register_module()
class LabelFreeDistiller(BaseModel):
    """Wrap a recognizer config to train its enhancer from day images only.

    Args:
        recognizer (dict): The user's model config (mmseg, mmpose,
            mmpretrain, ...) whose ``data_preprocessor`` is
            ``mmllie.GlobalPixelwiseEnhancer`` with an enhancer.
        darkening (dict): The on-the-fly darkening ``d``. Defaults to
            ``mmllie.BatchLowLightSynthesis`` at the ``'full'`` level.
        loss (dict, optional): Loss between raw outputs. Defaults to
            :func:`default_loss` (KL, T=1, on logits; MSE for mmpose).
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
        self.darkening = _build_mmllie(darkening)
        self.distill_loss = _build_mmllie(loss or default_loss(model))
        freeze_recognizer(self)

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
        """Host preprocessing without the enhancer → [0, 1] RGB inputs."""
        pre = self.data_preprocessor
        data = pre.host(data, True)
        x = pre.to_unit(data['inputs'])
        if x.dim() != 4 or x.shape[1] != 3:
            raise ValueError('LabelFreeDistiller: expected a B×3×H×W '
                             f'batch, got {tuple(x.shape)}.')
        return dict(
            inputs=x.clamp(0, 1), data_samples=data.get('data_samples'))

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
                mode: str = 'tensor') -> Any:
        """``'loss'``: distillation loss from day ``inputs`` in [0, 1]
        (:meth:`preprocess_train`); other modes: the recognizer's."""
        if mode != 'loss':
            return self._recognizer(inputs, data_samples, mode)
        pre = self.data_preprocessor
        with torch.no_grad():
            target = self.raw_outputs(pre.from_unit(inputs), data_samples)
        dark = self.darkening(inputs)
        enhanced = pre.from_unit(pre.enhance(dark))
        pred = self.raw_outputs(enhanced, data_samples)
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
