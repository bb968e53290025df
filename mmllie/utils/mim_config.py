"""``_base_ = 'mmllie::<config>.py'`` in users' configs.

MMEngine resolves ``'<pkg>::<path>'`` bases only for the packages in its
hard-coded ``MODULE2PACKAGE`` table, only for paths with a folder
(``'mmseg::deeplabv3plus/…'``), via ``<site-packages>/<pkg>/.mim`` (which
an editable install does not have), and it then scopes every built object
of the base to ``<pkg>``. None of that fits mmllie: one of its
user-facing configs sits at the top of ``configs/``
(``nightcity_deeplabv3plus_gpllie.py``), the others in task folders
(``segmentation/…``), and they are written for their host's
``default_scope`` (mmseg, mmpose) with ``mmllie.``-prefixed types, so they
must be read like a local base file.

:func:`install_mmllie_config_resolver` (run when :mod:`mmllie` is
imported, as the tools do before reading a config) makes
``'mmllie::'`` bases resolve to ``mmllie/.mim/configs/`` (set up by
``pip install``; a source checkout's ``configs/`` otherwise), unscoped.
Every other ``'<pkg>::'`` base goes through MMEngine unchanged.
"""
import os.path as osp
from typing import Optional, Tuple

from mmengine.config import Config

PREFIX = 'mmllie::'
_PKG_DIR = osp.dirname(osp.dirname(osp.abspath(__file__)))


def mmllie_config_dirs() -> Tuple[str, ...]:
    """Where ``'mmllie::'`` configs are looked up.

    The package's own ``.mim/configs`` (a copy after ``pip install .``,
    links after ``pip install -e .``); only where that does not exist, i.e.
    a source checkout imported without installing it, that checkout's
    ``configs/``.
    """
    installed = osp.join(_PKG_DIR, '.mim', 'configs')
    if osp.isdir(installed):
        return (installed, )
    return installed, osp.join(osp.dirname(_PKG_DIR), 'configs')


def resolve_mmllie_config(cfg_path: str) -> str:
    """``'mmllie::x/y.py'`` → absolute path of mmllie's ``configs/x/y.py``.

    Raises:
        FileNotFoundError: naming the config and the directories searched.
    """
    rel = cfg_path[len(PREFIX):]
    for root in mmllie_config_dirs():
        path = osp.join(root, rel)
        if osp.isdir(root) and osp.isfile(path):
            return path
    raise FileNotFoundError(
        f'{cfg_path!r}: no config {rel!r} in mmllie\'s configs (searched '
        f'{", ".join(mmllie_config_dirs())}); names are relative to '
        "configs/, e.g. 'mmllie::nightcity_deeplabv3plus_gpllie.py'")


def get_config_path(name: str) -> str:
    """Path of a config given as ``'mmllie::x/y.py'`` or as a file path.

    Args:
        name (str): ``'mmllie::'`` name (relative to mmllie's ``configs/``,
            shipped with the package) or an existing file.

    Returns:
        str: An absolute path.

    Raises:
        FileNotFoundError: naming the config and where it was looked for.
    """
    if name.startswith(PREFIX):
        return resolve_mmllie_config(name)
    if not osp.isfile(name):
        raise FileNotFoundError(
            f'config file {name!r} does not exist (relative to '
            f'{osp.abspath(".")}); mmllie\'s own configs are named '
            "'mmllie::<path under configs/>'")
    return osp.abspath(name)


def install_mmllie_config_resolver() -> bool:
    """Let MMEngine's ``Config`` read ``'mmllie::'`` bases (idempotent).

    Returns:
        bool: True if installed by this call.
    """
    original = Config._get_cfg_path
    if getattr(original, '_mmllie', False):
        return False

    def _get_cfg_path(cfg_path: str,
                      filename: str) -> Tuple[str, Optional[str]]:
        if cfg_path.startswith(PREFIX):
            return resolve_mmllie_config(cfg_path), None
        return original(cfg_path, filename)

    _get_cfg_path._mmllie = True  # type: ignore[attr-defined]
    Config._get_cfg_path = staticmethod(_get_cfg_path)
    return True
