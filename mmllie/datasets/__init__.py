from mmllie.registry import DATASETS
from mmllie.utils.hosts import is_installed, register_unavailable
from .concat_subsets import ConcatSubsets  # noqa: F401
from .image_folder import ImageFolderDataset  # noqa: F401
from .synthetic_city import generate_synthetic_city  # noqa: F401
from .transforms import *  # noqa: F401,F403

# host datasets only where their host is installed (mmllie.utils.hosts)
if is_installed('mmpose'):
    from .exlpose import ExLPoseDataset  # noqa: F401
else:
    register_unavailable(DATASETS, 'ExLPoseDataset', 'mmpose')
if is_installed('mmseg'):
    from .nightcity import NightCityDataset  # noqa: F401
else:
    register_unavailable(DATASETS, 'NightCityDataset', 'mmseg')
if is_installed('mmdet'):
    from .exdark import ExDarkDataset  # noqa: F401
else:
    register_unavailable(DATASETS, 'ExDarkDataset', 'mmdet')
if is_installed('mmpretrain'):
    from .codan import CODaNDataset  # noqa: F401
    from .exdark_cls import ExDarkClsDataset  # noqa: F401
else:
    register_unavailable(DATASETS, 'CODaNDataset', 'mmpretrain')
    register_unavailable(DATASETS, 'ExDarkClsDataset', 'mmpretrain')
