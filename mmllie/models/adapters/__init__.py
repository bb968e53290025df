"""Adapters that make a plain PyTorch network a (frozen) OpenMMLab
recognizer. The mmseg head is registered only where mmseg is installed
(elsewhere building ``mmllie.LogitsSegHead`` says that mmseg is missing)."""
from mmllie.hosts import import_host_modules
from mmllie.registry import MODELS
from .torch_module import TorchModuleBackbone, build_network

__all__ = ['TorchModuleBackbone', 'build_network']

# modules built on a host, only where that host is installed
globals().update(import_host_modules(MODELS, 'models'))
