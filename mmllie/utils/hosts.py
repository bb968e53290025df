"""The OpenMMLab host packages (mmseg, mmpose, mmpretrain, mmdet) are
optional: ``import mmllie`` imports none of them, and a module built on a
host is imported only where that host is installed."""
import importlib.util
from typing import Callable

from mmengine.registry import Registry

#: import name → pip name
PIP_NAMES = dict(
    mmseg='mmsegmentation',
    mmpose='mmpose',
    mmpretrain='mmpretrain',
    mmdet='mmdet')


def is_installed(package: str) -> bool:
    """Whether ``package`` can be imported (without importing it)."""
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):  # a blocked or half-removed package
        return False


def register_unavailable(registry: Registry, name: str, package: str) -> None:
    """Register ``name`` as a builder that says which host is missing.

    Without it, building ``mmllie.<name>`` without its host would fail with
    mmengine's generic "not in the registry".

    Args:
        registry (Registry): The mmllie registry ``name`` belongs to.
        name (str): Class name, e.g. ``'NightCityDataset'``.
        package (str): Import name of the host it needs, e.g. ``'mmseg'``.
    """

    def unavailable(*args, **kwargs) -> Callable:
        raise ImportError(
            f'mmllie.{name} is built on {package}, which is not installed: '
            f'pip install {PIP_NAMES.get(package, package)}')

    registry.register_module(name=name, module=unavailable)
