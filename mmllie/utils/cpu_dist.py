"""Distributed runs on machines without CUDA (torchrun + gloo).

MMEngine's ``init_dist('pytorch')`` always calls
``torch.cuda.set_device(LOCAL_RANK)``, which fails on a CPU-only torch
(``module 'torch._C' has no attribute '_cuda_setDevice'``). The Runner
skips its own initialisation when a process group already exists, so the
tools start one here first; everything else (DDP wrapping, samplers,
metric collection) is MMEngine's as usual.
"""
import datetime

import torch
import torch.distributed as dist
from mmengine.logging import print_log


def init_cpu_dist(launcher: str, dist_cfg: dict) -> bool:
    """Start the process group of a CPU-only ``--launcher pytorch`` job.

    A no-op with CUDA, without a launcher, or if a group exists already.
    ``dist_cfg`` is the config's ``env_cfg.dist_cfg``; its ``backend``
    (``'nccl'`` in mmseg's configs, GPU only) becomes ``'gloo'``.

    Args:
        launcher (str): The tool's ``--launcher``.
        dist_cfg (dict): ``backend`` and ``init_process_group`` options
            (``timeout`` in seconds).

    Returns:
        bool: True if the process group was started here.
    """
    if launcher != 'pytorch' or torch.cuda.is_available() or \
            dist.is_initialized():
        return False
    kwargs = dict(dist_cfg or {})
    backend = kwargs.pop('backend', 'gloo')
    if backend == 'nccl':
        print_log(
            'no CUDA device: using the gloo backend instead of nccl '
            '(set env_cfg.dist_cfg.backend to silence this)',
            logger='current')
        backend = 'gloo'
    if kwargs.get('timeout') is not None:
        kwargs['timeout'] = datetime.timedelta(seconds=kwargs['timeout'])
    dist.init_process_group(backend=backend, **kwargs)
    return True
