"""Mixed precision where the device has it, plain float32 elsewhere."""
from typing import Union

import torch
from mmengine.device import is_cuda_available
from mmengine.logging import print_log
from mmengine.optim import AmpOptimWrapper, OptimWrapper

from mmllie.registry import OPTIM_WRAPPERS

#: ``dtype`` values of :func:`AutoAmpOptimWrapper`
AMP_DTYPES = ('auto', 'bfloat16', 'float16')


def amp_dtype(dtype: str = 'auto') -> str:
    """The autocast dtype for this CUDA device: bf16 where supported.

    Args:
        dtype (str): 'auto', 'bfloat16' or 'float16'.

    Returns:
        str: 'bfloat16' or 'float16'.
    """
    if dtype not in AMP_DTYPES:
        raise ValueError(f'AutoAmpOptimWrapper: dtype must be one of '
                         f'{AMP_DTYPES}, got {dtype!r}')
    if dtype != 'auto':
        return dtype
    return 'bfloat16' if torch.cuda.is_bf16_supported() else 'float16'


@OPTIM_WRAPPERS.register_module()
def AutoAmpOptimWrapper(dtype: str = 'auto',
                        loss_scale: Union[str, float, dict] = 'dynamic',
                        **kwargs) -> OptimWrapper:
    """MMEngine's ``AmpOptimWrapper`` on CUDA, ``OptimWrapper`` elsewhere.

    The training configs set this, so one config trains with automatic
    mixed precision on a GPU (bf16 autocast where the GPU supports it,
    else fp16 with dynamic loss scaling) and in plain float32 on a CPU,
    where MMEngine's ``AmpOptimWrapper`` refuses to start. The enhancer's
    weights and the optimizer state stay float32 in both.

    Args:
        dtype (str): Autocast dtype on CUDA: 'auto' (bf16 where
            ``torch.cuda.is_bf16_supported()``, else fp16), 'bfloat16' or
            'float16'. Defaults to 'auto'.
        loss_scale (str | float | dict): ``AmpOptimWrapper``'s loss
            scaling on CUDA. Defaults to 'dynamic'.
        **kwargs: ``optimizer`` and the other ``OptimWrapper`` arguments.

    Returns:
        OptimWrapper: An ``AmpOptimWrapper`` on CUDA, else an
        ``OptimWrapper``.

    Example:
        >>> optim_wrapper = dict(type='mmllie.AutoAmpOptimWrapper',
        ...                      optimizer=dict(type='Adam', lr=5e-4))
    """
    if not is_cuda_available():
        amp_dtype(dtype)  # a typo fails on CPU too
        print_log(
            'AutoAmpOptimWrapper: no CUDA device, training in float32',
            logger='current')
        return OptimWrapper(**kwargs)
    dtype = amp_dtype(dtype)
    print_log(
        f'AutoAmpOptimWrapper: CUDA, automatic mixed precision ({dtype})',
        logger='current')
    return AmpOptimWrapper(dtype=dtype, loss_scale=loss_scale, **kwargs)
