from mmllie.hosts import import_host_modules
from mmllie.registry import DATASETS
from .cityscapes_layout import write_cityscapes_layout  # noqa: F401
from .concat_subsets import ConcatSubsets  # noqa: F401
from .image_folder import ImageFolderDataset  # noqa: F401
from .synthetic_city import generate_synthetic_city  # noqa: F401
from .transforms import *  # noqa: F401,F403

# datasets built on a host, only where that host is installed
globals().update(import_host_modules(DATASETS, 'datasets'))
