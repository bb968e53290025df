"""DDP wrapper that freezes the recognizer before DDP registers params."""
from typing import Any, List, Optional

import torch.nn as nn
from mmengine.model import MMDistributedDataParallel

from mmllie.models.frozen import freeze_recognizer
from mmllie.registry import MODEL_WRAPPERS


@MODEL_WRAPPERS.register_module()
class EnhancerDistributedDataParallel(MMDistributedDataParallel):
    """MMEngine's DDP, for an enhancer in front of a frozen recognizer.

    DDP decides which parameters it synchronises when it is built, so the
    recognizer is frozen here, before ``super().__init__``: only the
    enhancer's gradients are all-reduced. It also drops ``device_ids`` for
    CPU modules (MMEngine always passes ``[LOCAL_RANK]``, which PyTorch
    rejects for CPU/gloo training).

    Use it with ``model_wrapper_cfg=dict(type=
    'mmllie.EnhancerDistributedDataParallel')``.
    """

    def __init__(self,
                 module: nn.Module,
                 device_ids: Optional[List[int]] = None,
                 **kwargs: Any) -> None:
        freeze_recognizer(module)
        on_cpu = all(p.device.type == 'cpu' for p in module.parameters())
        super().__init__(
            module=module, device_ids=None if on_cpu else device_ids, **kwargs)
