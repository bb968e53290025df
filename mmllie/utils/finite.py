"""Non-finite values in training: find them and name the iteration."""
from typing import Iterable, List, Optional, Tuple

import torch
from mmengine.logging import MessageHub


def current_iter() -> Optional[int]:
    """The 1-based training iteration (as the log prints it), if known."""
    hub = MessageHub.get_current_instance()
    it = hub.get_info('iter')
    return None if it is None else int(it) + 1


def where_iter() -> str:
    """``'at iteration N'``, or ``''`` outside a training loop."""
    it = current_iter()
    return '' if it is None else f' at iteration {it}'


def nonfinite(named: Iterable[Tuple[str, object]]) -> List[str]:
    """Names of the floating tensors / numbers that hold NaN or Inf."""
    bad = []
    for name, value in named:
        if isinstance(value, torch.Tensor):
            if value.is_floating_point() and not torch.isfinite(value).all():
                bad.append(name)
        elif isinstance(value,
                        float) and not torch.isfinite(torch.tensor(value)):
            bad.append(name)
    return bad


__all__ = ['current_iter', 'nonfinite', 'where_iter']
