"""mmllie: recognition-oriented low-light enhancement for OpenMMLab.

Like mmseg's and mmpose's, importing mmllie (directly, or through a
config's ``custom_imports``) checks versions and imports no host package
(mmseg, mmpose, mmpretrain, mmdet): mmllie's modules are imported by its
registries (``mmllie.registry``, children of MMEngine's roots) when a
config first names ``type='mmllie.X'``, or by :func:`register_all_modules`.
It also applies the few process-wide fixes listed in
``docs/en/get_started.md`` ("Import-time fixes"), each a no-op where it is
not needed: :mod:`mmllie.utils.compat` (before torchvision or ``mmcv.ops``
is first imported) and :mod:`mmllie.utils.mim_config` (``'mmllie::'`` bases).
"""
from .utils.compat import (allow_mmengine_checkpoint_globals,
                           install_mmcv_ext_placeholder,
                           install_safe_checkpoint_loaders,
                           install_torchvision_nms)

install_torchvision_nms()
install_mmcv_ext_placeholder()

import mmcv  # noqa: E402
import mmengine  # noqa: E402
from mmengine.utils import digit_version  # noqa: E402

from .version import __version__, version_info  # noqa: E402

mmcv_minimum_version = '2.0.0rc4'
mmcv_maximum_version = '2.2.0'
mmengine_minimum_version = '0.8.0'
mmengine_maximum_version = '1.0.0'

mmcv_version = digit_version(mmcv.__version__)
mmengine_version = digit_version(mmengine.__version__)
assert (digit_version(mmcv_minimum_version) <= mmcv_version <
        digit_version(mmcv_maximum_version)), \
    f'MMCV=={mmcv.__version__} is used but incompatible. ' \
    f'Please install mmcv>={mmcv_minimum_version}, <{mmcv_maximum_version}.'
assert (digit_version(mmengine_minimum_version) <= mmengine_version <
        digit_version(mmengine_maximum_version)), \
    f'MMEngine=={mmengine.__version__} is used but incompatible. ' \
    f'Please install mmengine>={mmengine_minimum_version}, ' \
    f'<{mmengine_maximum_version}.'

allow_mmengine_checkpoint_globals()
install_safe_checkpoint_loaders()

from .utils.mim_config import install_mmllie_config_resolver  # noqa: E402

install_mmllie_config_resolver()  # `_base_ = 'mmllie::...'` in user configs

from . import registry  # noqa: E402,F401  (mmllie.X resolves from any scope)
from .utils import register_all_modules  # noqa: E402

__all__ = ['__version__', 'version_info', 'register_all_modules']
