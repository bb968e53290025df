"""A loss between two raw recognizer outputs (``mode='tensor'``).

Used by :class:`mmllie.LabelFreeDistiller`: the frozen recognizer's output
on the enhanced dark image is pulled towards its output on the day image.
Outputs may be a tensor or any nesting of tuples, lists and dicts of tensors
(segmentation logits, pose heatmaps, class scores, detection head maps); the
loss is the mean over the tensors.
"""
from typing import Any, List

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmllie.registry import MODELS

KINDS = ('kl', 'mse')


def flatten_outputs(outputs: Any) -> List[torch.Tensor]:
    """Tensors of a (nested) tuple / list / dict output, in a fixed order."""
    if isinstance(outputs, torch.Tensor):
        return [outputs]
    if isinstance(outputs, dict):
        return [
            t for k in sorted(outputs) for t in flatten_outputs(outputs[k])
        ]
    if isinstance(outputs, (tuple, list)):
        return [t for item in outputs for t in flatten_outputs(item)]
    return []


def kl_distillation(pred: torch.Tensor, target: torch.Tensor,
                    temperature: float) -> torch.Tensor:
    """``T² · KL(softmax(target/T) ‖ softmax(pred/T))`` over dim 1, mean
    over the other positions (Hinton et al. 2015)."""
    log_p = F.log_softmax(pred / temperature, dim=1)
    log_q = F.log_softmax(target / temperature, dim=1)
    kl = (log_q.exp() * (log_q - log_p)).sum(1)
    return kl.mean() * temperature**2


def relative_mse(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """MSE over the target's mean square (no gradient): scale-free, 0 for
    the same output, 1 for an all-zero one."""
    return F.mse_loss(pred, target) / target.pow(2).mean().clamp(min=1e-30)


@MODELS.register_module()
class OutputDistillationLoss(nn.Module):
    """Distance between the recognizer's raw outputs on two inputs.

    Args:
        kind (str): ``'kl'``: KL divergence between the softmax over dim 1
            with a temperature (class logits: segmentation B×C×H×W,
            classification B×C); ``'mse'``: mean squared error relative to
            the target's mean square (:func:`relative_mse`; regression maps
            such as pose heatmaps). 1-D tensors always use ``'mse'``.
        temperature (float): Softmax temperature of ``'kl'``.
        loss_weight (float): Multiplier of the loss.
    """

    def __init__(self,
                 kind: str = 'kl',
                 temperature: float = 1.0,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if kind not in KINDS:
            raise ValueError(f'OutputDistillationLoss: kind must be one of '
                             f'{KINDS}, got {kind!r}.')
        if not temperature > 0:
            raise ValueError('OutputDistillationLoss: temperature must be > 0,'
                             f' got {temperature}.')
        self.kind = kind
        self.temperature = float(temperature)
        self.loss_weight = float(loss_weight)

    def forward(self, pred: Any, target: Any) -> torch.Tensor:
        """Mean loss over the tensors of ``pred`` and ``target``."""
        preds, targets = flatten_outputs(pred), flatten_outputs(target)
        if not preds or len(preds) != len(targets):
            raise ValueError(
                'OutputDistillationLoss: prediction and target must hold '
                f'the same tensors, got {len(preds)} and {len(targets)}.')
        losses = []
        for i, (p, t) in enumerate(zip(preds, targets)):
            if p.shape != t.shape:
                raise ValueError(f'OutputDistillationLoss: output {i} has '
                                 f'shape {tuple(p.shape)} vs target '
                                 f'{tuple(t.shape)}.')
            t = t.detach().float()
            if self.kind == 'kl' and p.dim() >= 2:
                losses.append(kl_distillation(p.float(), t, self.temperature))
            else:
                losses.append(relative_mse(p.float(), t))
        return self.loss_weight * torch.stack(losses).mean()

    def extra_repr(self) -> str:
        return f'kind={self.kind!r}, temperature={self.temperature}'
