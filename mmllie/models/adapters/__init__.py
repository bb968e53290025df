"""Adapters that make a plain PyTorch network a (frozen) OpenMMLab
recognizer. The mmseg head is registered only where mmseg is installed
(elsewhere building ``mmllie.LogitsSegHead`` says that mmseg is missing)."""
from mmllie.registry import MODELS
from mmllie.utils.hosts import is_installed, register_unavailable
from .torch_module import TorchModuleBackbone, build_network

__all__ = ['TorchModuleBackbone', 'build_network']

if is_installed('mmseg'):
    from .seg_logits_head import LogitsSegHead  # noqa: F401
    __all__ += ['LogitsSegHead']
else:
    register_unavailable(MODELS, 'LogitsSegHead', 'mmseg')
