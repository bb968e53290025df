"""One adapter per OpenMMLab host codebase, in :data:`mmllie.registry.HOSTS`.

Find a host by its scope (a config's ``default_scope``) or by an object
built from it (a model, a data preprocessor, a data sample)::

    >>> from mmllie.hosts import get_host
    >>> get_host('mmpose').distill_loss['kind']
    'mse'
"""
import importlib
from typing import Any, Callable, Dict, List, Optional

from mmengine.registry import Registry

from mmllie.registry import HOSTS
from .base import BaseHost
from .cls import ClsHost
from .det import DetHost
from .pose import PoseHost
from .seg import SegHost


def get_host(scope: str) -> BaseHost:
    """The adapter registered under ``scope`` (e.g. ``'mmseg'``).

    Raises:
        KeyError: no host is registered under ``scope``; the message lists
            the registered ones.
    """
    cls = HOSTS.get(scope) if isinstance(scope, str) else None
    if cls is None:
        raise KeyError(f'no mmllie host adapter for scope {scope!r}; '
                       f'registered: {all_host_names()}')
    return cls()


def all_host_names() -> List[str]:
    """Scopes of every registered host, sorted."""
    return sorted(HOSTS.module_dict)


def all_hosts() -> List[BaseHost]:
    """An instance of every registered adapter, sorted by scope."""
    return [get_host(name) for name in all_host_names()]


def host_of(obj: Any) -> Optional[BaseHost]:
    """The adapter of the package that defines ``obj``'s class, e.g. an
    ``mmseg.models.EncoderDecoder`` → the mmseg adapter; None if that
    package is not a registered host."""
    package = type(obj).__module__.split('.')[0]
    cls = HOSTS.get(package) if package in HOSTS.module_dict else None
    return cls() if cls is not None else None


def register_unavailable(registry: Registry, name: str,
                         host: BaseHost) -> None:
    """Register ``name`` as a builder that says which host is missing
    (rather than mmengine's generic "not in the registry")."""

    def unavailable(*args, **kwargs) -> Callable:
        raise ImportError(
            f'mmllie.{name} is built on {host.scope}, which is not '
            f'installed: pip install {host.package}')

    registry.register_module(name=name, module=unavailable)


def import_host_modules(registry: Registry, kind: str) -> Dict[str, type]:
    """Import the mmllie classes of ``kind`` built on each installed host.

    Args:
        registry (Registry): The mmllie registry they belong to.
        kind (str): The adapters' attribute listing them: ``'datasets'``,
            ``'metrics'`` or ``'models'``.

    Returns:
        dict[str, type]: The imported classes by name. Those of a host
        that is not installed are registered as builders that say so.
    """
    classes = {}
    for host in all_hosts():
        installed = host.is_installed()
        for name, module in getattr(host, kind).items():
            if installed:
                classes[name] = getattr(importlib.import_module(module), name)
            else:
                register_unavailable(registry, name, host)
    return classes


__all__ = [
    'BaseHost', 'ClsHost', 'DetHost', 'PoseHost', 'SegHost', 'all_host_names',
    'all_hosts', 'get_host', 'host_of', 'import_host_modules',
    'register_unavailable'
]
