"""Adapters that make a plain PyTorch network a (frozen) OpenMMLab
recognizer. The mmseg head lives in its own module (imported on first
lookup through the registry's ``locations``), so importing mmllie does not
import mmseg."""
from .torch_module import TorchModuleBackbone, build_network

__all__ = ['TorchModuleBackbone', 'build_network']
