"""DDP wrapper that freezes the recognizer before DDP registers params."""
from typing import Any, Dict, List, Optional

import torch
import torch.nn as nn
from mmengine.model import MMDistributedDataParallel, revert_sync_batchnorm

from mmllie.models.frozen import freeze_recognizer
from mmllie.registry import MODEL_WRAPPERS


@MODEL_WRAPPERS.register_module()
class EnhancerDistributedDataParallel(MMDistributedDataParallel):
    """MMEngine's DDP, for an enhancer in front of a frozen recognizer.

    DDP decides which parameters it synchronises when it is built, so the
    recognizer is frozen here, before ``super().__init__``: only the
    enhancer's gradients are all-reduced. For CPU modules (gloo) it also
    drops ``device_ids`` (MMEngine always passes ``[LOCAL_RANK]``, which
    PyTorch rejects there) and turns SyncBN layers (mmseg's recipes use
    them; DDP refuses them off GPU) into plain BN: the frozen recognizer's
    norm layers are in eval mode, where SyncBN computes exactly what BN
    does.

    Use it with ``model_wrapper_cfg=dict(type=
    'mmllie.EnhancerDistributedDataParallel')``. A module with its own
    training preprocessing (``preprocess_train``, e.g.
    :class:`mmllie.LabelFreeDistiller`) gets it instead of its
    ``data_preprocessor``.
    'mmllie.EnhancerDistributedDataParallel')``. A model with no enhancer
    (``enhancer=None``: the plain recognizer, for testing) is wrapped
    unfrozen, like MMEngine's own DDP does, with the same CPU handling.
    """

    def __init__(self,
                 module: nn.Module,
                 device_ids: Optional[List[int]] = None,
                 **kwargs: Any) -> None:
        on_cpu = all(p.device.type == 'cpu' for p in module.parameters())
        if on_cpu:
            module = revert_sync_batchnorm(module)
        pre = getattr(module, 'data_preprocessor', None)
        if getattr(pre, 'enhancer', None) is not None:
            freeze_recognizer(module)
        super().__init__(
            module=module, device_ids=None if on_cpu else device_ids, **kwargs)

    def train_step(self, data: dict, optim_wrapper) -> Dict[str, torch.Tensor]:
        """MMEngine's step, with the module's ``preprocess_train`` if any."""
        preprocess = getattr(self.module, 'preprocess_train', None)
        if preprocess is None:
            return super().train_step(data, optim_wrapper)
        with optim_wrapper.optim_context(self):
            losses = self._run_forward(preprocess(data), mode='loss')
        parsed, log_vars = self.module.parse_losses(losses)
        optim_wrapper.update_params(parsed)
        return log_vars
